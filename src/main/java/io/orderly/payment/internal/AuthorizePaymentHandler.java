package io.orderly.payment.internal;

import java.time.Clock;
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
 * {@link AuthorizePayment}: records the payment as {@code AUTHORIZATION_PENDING} and the
 * authorization as a provider call ({@link ProviderCalls}), which asks the provider to hold the
 * amount, with the key {@code authorize:<orderId>}, once this commits, and answers
 * {@link PaymentAuthorized} or {@link PaymentDeclined} (or, while the provider does not answer,
 * {@link PaymentPending} first). A zero amount is authorized here, without the provider.
 *
 * <p>A repeated command is answered as the first one was, without asking the provider again;
 * repeated while the first one's call is made, it is answered with that call.
 */
@Component
@ConditionalOnModule("payment")
class AuthorizePaymentHandler {

	private static final Logger log = LoggerFactory.getLogger(AuthorizePaymentHandler.class);

	private final Payments payments;

	private final ProviderCalls calls;

	private final Outbox outbox;

	private final Clock clock;

	AuthorizePaymentHandler(Payments payments, ProviderCalls calls, Outbox outbox, Clock clock) {
		this.payments = payments;
		this.calls = calls;
		this.outbox = outbox;
		this.clock = clock;
	}

	void on(AuthorizePayment command, Message message) {
		Optional<Payment> existing = payments.lock(command.orderId());
		if (existing.isPresent()) {
			answerAgain(command, existing.get());
			return;
		}
		if (command.amountMinor() == 0) {
			Payment free = Payment.free(command, clock.instant());
			payments.insert(free);
			outbox.publish(command.orderId(), authorized(free));
			return;
		}
		Payment pending = Payment.pending(command, clock.instant());
		payments.insert(pending);
		calls.authorize(pending, command.paymentToken());
	}

	private void answerAgain(AuthorizePayment command, Payment payment) {
		if (payment.answeredDeclined()) {
			outbox.publish(payment.orderId(), new PaymentDeclined(payment.orderId(), payment.declineReason()));
		}
		else if (payment.status().holdsMoney()) {
			outbox.publish(payment.orderId(), authorized(payment));
		}
		else if (payment.status() == PaymentStatus.AUTHORIZATION_PENDING
				&& calls.join(payment.orderId(), ProviderCallStore.Operation.AUTHORIZE)) {
			log.info("AuthorizePayment for order {} again while the provider is asked: answered when it answers",
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
