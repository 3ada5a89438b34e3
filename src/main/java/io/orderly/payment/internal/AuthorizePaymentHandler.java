package io.orderly.payment.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.orderly.payment.AuthorizePayment;
import io.orderly.payment.PaymentAuthorized;
import io.orderly.payment.PaymentDeclined;
import io.orderly.payment.PaymentPending;
import io.orderly.payment.PaymentStatus;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@link AuthorizePayment}: asks the provider to hold the amount, with the key
 * {@code authorize:<orderId>}, and answers {@link PaymentAuthorized} or {@link PaymentDeclined}.
 *
 * <p>When the provider gives no usable answer even after the retries, it is asked by
 * reference whether the authorization happened. If that does not tell either (an outage, or
 * the circuit breaker open), the authorization waits ({@code AUTHORIZATION_PENDING}, event
 * {@link PaymentPending}) and {@link PendingAuthorizationRetrier} asks again until the provider
 * answers or {@code orderly.payment.pending.max-wait} has passed. With no wait configured, the
 * saga is answered {@code payment_unavailable} at once and the payment is recorded as
 * {@code AUTHORIZATION_UNKNOWN} and watched ({@link PaymentWatch}): an authorization that turns
 * up later is voided, so "declined" stays true.
 *
 * <p>A repeated command is answered as the first one was, without asking the provider again.
 */
@Component
@ConditionalOnModule("payment")
class AuthorizePaymentHandler {

	private static final Logger log = LoggerFactory.getLogger(AuthorizePaymentHandler.class);

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final PaymentProvider provider;

	private final Outbox outbox;

	private final Clock clock;

	private final PaymentProperties properties;

	private final PendingAuthorizations pending;

	AuthorizePaymentHandler(Payments payments, PaymentRecorder recorder, PaymentProvider provider, Outbox outbox,
			Clock clock, PaymentProperties properties, PendingAuthorizations pending) {
		this.pending = pending;
		this.payments = payments;
		this.recorder = recorder;
		this.provider = provider;
		this.outbox = outbox;
		this.clock = clock;
		this.properties = properties;
	}

	void on(AuthorizePayment command, Message message) {
		Optional<Payment> existing = payments.lock(command.orderId());
		if (existing.isPresent()) {
			answerAgain(command, existing.get());
			return;
		}
		Payment payment;
		if (command.amountMinor() == 0) {
			payment = Payment.free(command, clock.instant());
			payments.insert(payment);
		}
		else {
			payment = authorize(command);
		}
		if (payment.status() == PaymentStatus.AUTHORIZATION_PENDING) {
			return;
		}
		outbox.publish(command.orderId(), answer(payment));
	}

	private Payment authorize(AuthorizePayment command) {
		String orderId = command.orderId();
		try {
			ProviderAuthorization at = provider.authorize(IdempotencyKeys.authorize(orderId), orderId,
					command.amountMinor(), command.currency(), command.paymentToken());
			return recorder.recordNew(orderId, command.customerId(), at);
		}
		catch (ProviderRefused refused) {
			if (!ProviderRefused.IDEMPOTENCY_ERROR.equals(refused.code())) {
				log.warn("The provider refused to authorize order {}: {}", orderId, refused.getMessage());
				Payment declined = Payment.refused(command, clock.instant());
				payments.insert(declined);
				return declined;
			}
			// The key was used with other parameters: an authorization of this order may exist.
			log.error("Order {} was authorized before with other parameters: {}", orderId, refused.getMessage());
		}
		catch (ProviderUnavailable unavailable) {
			log.warn("No answer from the provider to authorize order {} ({}); looking it up by reference", orderId,
					unavailable.getMessage());
		}
		return lookUp(command);
	}

	/** After an unknown outcome: what the provider holds under the order's reference, if it tells. */
	private Payment lookUp(AuthorizePayment command) {
		String orderId = command.orderId();
		try {
			Optional<ProviderAuthorization> found = provider.latestFor(orderId);
			if (found.isPresent() && answers(command, found.get())) {
				return recorder.recordNew(orderId, command.customerId(), found.get());
			}
		}
		catch (ProviderUnavailable | ProviderRefused ex) {
			log.warn("The provider could not be asked about order {} either ({})", orderId, ex.getMessage());
		}
		if (properties.pending().enabled()) {
			Instant now = clock.instant();
			Instant until = now.plus(properties.pending().maxWait());
			log.warn("Authorization of order {} waits for the provider until {}", orderId, until);
			Payment waiting = Payment.pending(command, now);
			payments.insert(waiting);
			pending.insert(orderId, command.paymentToken(), until, now.plus(properties.pending().backoffBase()), now);
			outbox.publish(orderId, new PaymentPending(orderId, until));
			return waiting;
		}
		log.warn("Authorization of order {} unknown: answering {} and watching the provider until it tells", orderId,
				PaymentDeclined.UNAVAILABLE);
		Payment unknown = Payment.unknown(command, clock.instant(), properties.watch().duration());
		payments.insert(unknown);
		return unknown;
	}

	/** Whether an authorization found by reference is the answer to this command. */
	private static boolean answers(AuthorizePayment command, ProviderAuthorization found) {
		PaymentStatus status = found.paymentStatus();
		return found.amountMinor() == command.amountMinor() && command.currency().equals(found.currency())
				&& (status == PaymentStatus.AUTHORIZED || status == PaymentStatus.DECLINED);
	}

	private static Object answer(Payment payment) {
		if (payment.answeredDeclined()) {
			return new PaymentDeclined(payment.orderId(), payment.declineReason());
		}
		if (payment.status() != PaymentStatus.AUTHORIZED) {
			throw new IllegalStateException("A new payment is authorized or declined, not " + payment.status());
		}
		return authorized(payment);
	}

	private void answerAgain(AuthorizePayment command, Payment payment) {
		if (payment.answeredDeclined()) {
			outbox.publish(payment.orderId(), new PaymentDeclined(payment.orderId(), payment.declineReason()));
		}
		else if (payment.status().holdsMoney()) {
			outbox.publish(payment.orderId(), authorized(payment));
		}
		else if (payment.status() == PaymentStatus.AUTHORIZATION_PENDING) {
			log.info("AuthorizePayment for order {} again while it waits for the provider: answered when it does",
					command.orderId());
		}
		else {
			// Voided or cancelled: the saga had its answer and moved on; the provider is not asked again.
			log.info("AuthorizePayment for order {} again, its payment is {}: not authorizing", command.orderId(),
					payment.status());
		}
	}

	private static PaymentAuthorized authorized(Payment payment) {
		return new PaymentAuthorized(payment.orderId(), payment.paymentId(), payment.amountMinor(), payment.currency());
	}
}
