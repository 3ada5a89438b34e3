package io.orderly.payment.internal;

import java.time.Clock;
import java.util.Optional;

import io.orderly.payment.CancelPayment;
import io.orderly.payment.PaymentCancellationFailed;
import io.orderly.payment.PaymentDeclined;
import io.orderly.payment.PaymentRefunded;
import io.orderly.payment.PaymentStatus;
import io.orderly.payment.PaymentVoided;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@link CancelPayment} (the saga's compensation): undoes whatever the provider holds for the
 * order ({@link PaymentReversal}) and answers {@link PaymentVoided} or {@link PaymentRefunded};
 * {@link PaymentVoided} with no payment id when nothing was ever held.
 *
 * <p>Where our record does not say what the provider holds (no record at all, or an
 * authorization whose outcome we never learned), the provider is asked by reference first, so
 * an authorization that succeeded after we gave up on it is found and voided. When the
 * provider cannot be reached, the answer is {@link PaymentCancellationFailed} and the saga
 * tries again later; what was learned meanwhile is kept.
 *
 * <p>A cancelled order gets a payment record even if nothing was authorized, so that no
 * authorization can follow the cancellation.
 */
@Component
@ConditionalOnModule("payment")
class CancelPaymentHandler {

	private static final Logger log = LoggerFactory.getLogger(CancelPaymentHandler.class);

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final PaymentReversal reversal;

	private final PaymentProvider provider;

	private final Outbox outbox;

	private final Clock clock;

	private final PaymentProperties properties;

	private final PendingAuthorizations pending;

	CancelPaymentHandler(Payments payments, PaymentRecorder recorder, PaymentReversal reversal, PaymentProvider provider,
			Outbox outbox, Clock clock, PaymentProperties properties, PendingAuthorizations pending) {
		this.pending = pending;
		this.payments = payments;
		this.recorder = recorder;
		this.reversal = reversal;
		this.provider = provider;
		this.outbox = outbox;
		this.clock = clock;
		this.properties = properties;
	}

	void on(CancelPayment command, Message message) {
		String orderId = command.orderId();
		Object answer;
		try {
			answer = cancel(orderId);
		}
		catch (ProviderUnavailable | ProviderRefused ex) {
			log.warn("Could not cancel the payment of order {} now: {}", orderId, ex.getMessage());
			String reason = ex instanceof ProviderRefused refused ? refused.code() : PaymentDeclined.UNAVAILABLE;
			answer = new PaymentCancellationFailed(orderId, reason);
		}
		outbox.publish(orderId, answer);
	}

	private Object cancel(String orderId) {
		Optional<Payment> found = payments.lock(orderId);
		// Nothing waiting for the provider may go ahead once the order is being cancelled.
		pending.remove(orderId);
		Payment payment;
		if (found.isEmpty()) {
			Optional<ProviderAuthorization> atProvider = provider.latestFor(orderId);
			if (atProvider.isEmpty()) {
				payments.insert(Payment.cancelled(orderId, clock.instant(), properties.watch().duration()));
				return new PaymentVoided(orderId, null);
			}
			payment = recorder.recordNew(orderId, null, atProvider.get());
		}
		else if (found.get().status() == PaymentStatus.AUTHORIZATION_PENDING) {
			// Still waiting for the provider: no more attempts; the watch voids whatever one did.
			recorder.record(found.get().cancelledWhilePending(clock.instant(), properties.watch().duration()));
			return new PaymentVoided(orderId, null);
		}
		else if (found.get().status() == PaymentStatus.AUTHORIZATION_UNKNOWN) {
			Optional<ProviderAuthorization> atProvider = provider.latestFor(orderId);
			if (atProvider.isEmpty()) {
				// Nothing there yet; the payment stays watched in case something turns up.
				return new PaymentVoided(orderId, null);
			}
			payment = recorder.record(found.get(), atProvider.get());
		}
		else {
			payment = found.get();
		}
		return answer(reversal.reverse(payment));
	}

	private static Object answer(Payment payment) {
		return switch (payment.status()) {
			case REFUNDED -> new PaymentRefunded(payment.orderId(), payment.paymentId(), payment.refundedMinor(),
					payment.currency());
			case VOIDED -> new PaymentVoided(payment.orderId(), payment.paymentId());
			case DECLINED, CANCELLED, AUTHORIZATION_UNKNOWN, AUTHORIZATION_PENDING -> new PaymentVoided(payment.orderId(), null);
			case AUTHORIZED, CAPTURED -> throw new IllegalStateException(
					"Payment " + payment.paymentId() + " still holds money after reversal");
		};
	}
}
