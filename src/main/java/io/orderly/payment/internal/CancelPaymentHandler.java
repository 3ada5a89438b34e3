package io.orderly.payment.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import io.orderly.payment.CancelPayment;
import io.orderly.payment.PaymentCancellationFailed;
import io.orderly.payment.PaymentRefunded;
import io.orderly.payment.PaymentStatus;
import io.orderly.payment.PaymentVoided;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Outbox;

import org.springframework.stereotype.Component;

/**
 * {@link CancelPayment} (the saga's compensation): undoes whatever the provider holds for the
 * order and answers {@link PaymentVoided} or {@link PaymentRefunded}; {@link PaymentVoided}
 * with no payment id when nothing was ever held.
 *
 * <p>Undoing is a provider call ({@link ProviderCalls}, which overtakes a capture being made):
 * a void or a refund, preceded by a lookup by reference where our record does not say what the
 * provider holds (an authorization whose outcome we never learned), so an authorization that
 * succeeded after we gave up on it is found and voided. When the provider cannot be reached, the
 * answer is {@link PaymentCancellationFailed} and the saga tries again later; what was learned
 * meanwhile is kept.
 *
 * <p>An authorization still being asked for is not waited for: the payment is cancelled at once,
 * the answer of the call in flight is not recorded, and the watch ({@link PaymentWatch}) voids
 * whatever it did. A cancelled order gets a payment record even if nothing was authorized, so
 * that no authorization can follow the cancellation.
 */
@Component
@ConditionalOnModule("payment")
class CancelPaymentHandler {

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final ProviderCalls calls;

	private final Outbox outbox;

	private final Clock clock;

	private final PaymentProperties properties;

	private final Refunds refunds;

	/** Why a cancellation waits: a refund by name of the order is being made. */
	static final String REFUND_IN_PROGRESS = "refund_in_progress";

	CancelPaymentHandler(Payments payments, PaymentRecorder recorder, ProviderCalls calls, Outbox outbox, Clock clock,
			PaymentProperties properties, Refunds refunds) {
		this.refunds = refunds;
		this.payments = payments;
		this.recorder = recorder;
		this.calls = calls;
		this.outbox = outbox;
		this.clock = clock;
		this.properties = properties;
	}

	void on(CancelPayment command, Message message) {
		String orderId = command.orderId();
		Instant now = clock.instant();
		Optional<Payment> found = payments.lock(orderId);
		if (found.isEmpty()) {
			payments.insert(Payment.cancelled(orderId, now, properties.watch().duration()));
			outbox.publish(orderId, new PaymentVoided(orderId, null));
			return;
		}
		Payment payment = found.get();
		switch (payment.status()) {
			case AUTHORIZATION_PENDING -> {
				// Nothing asked of the provider may go ahead once the order is being cancelled.
				calls.drop(orderId);
				recorder.record(payment.cancelledWhilePending(now, properties.watch().duration()));
				outbox.publish(orderId, new PaymentVoided(orderId, null));
			}
			case AUTHORIZED -> reverse(payment, () -> recorder.record(payment.voidedWithoutProvider(now)));
			case CAPTURED -> {
				if (refunds.anyPending(orderId)) {
					// A refund by name is being made: the full refund would race it at the provider under
					// one key with an amount that may change. The saga asks again once it is done.
					outbox.publish(orderId, new PaymentCancellationFailed(orderId, REFUND_IN_PROGRESS));
				}
				else {
					reverse(payment, () -> recorder.record(payment.refundedWithoutProvider(now)));
				}
			}
			case AUTHORIZATION_UNKNOWN -> reverse(payment, null);
			case DECLINED, CANCELLED, VOIDED, REFUNDED -> outbox.publish(orderId, answer(payment));
		}
	}

	/** Undoes at the provider, or here when the provider holds nothing for a zero amount. */
	private void reverse(Payment payment, Supplier<Payment> withoutProvider) {
		String orderId = payment.orderId();
		if (payment.pspAuthorizationId() == null && withoutProvider != null) {
			outbox.publish(orderId, answer(withoutProvider.get()));
		}
		else if (!calls.join(orderId, ProviderCallStore.Operation.REVERSE)) {
			calls.reverse(payment);
		}
	}

	/** The saga's answer for a payment that holds nothing (any more). */
	static Object answer(Payment payment) {
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
