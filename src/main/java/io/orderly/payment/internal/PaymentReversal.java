package io.orderly.payment.internal;

import java.time.Clock;
import java.util.function.Supplier;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.stereotype.Component;

/**
 * Undoes whatever the provider holds for a payment: voids an authorization, refunds a
 * capture in full. Each with the order's own idempotency key, so doing it again is answered,
 * not done twice. When the provider refuses because its state moved on without us hearing
 * (a capture whose answer was lost), its current state is read, recorded, and acted on.
 */
@Component
@ConditionalOnModule("payment")
class PaymentReversal {

	/** Enough for the longest path: void refused, read "captured", refund. */
	private static final int MAX_STEPS = 4;

	private final PaymentProvider provider;

	private final PaymentRecorder recorder;

	private final Clock clock;

	PaymentReversal(PaymentProvider provider, PaymentRecorder recorder, Clock clock) {
		this.provider = provider;
		this.recorder = recorder;
		this.clock = clock;
	}

	/**
	 * Returns the payment with nothing held: neither {@code AUTHORIZED} nor {@code CAPTURED}.
	 *
	 * @throws ProviderUnavailable when the provider did not answer; what was learned so far is recorded
	 * @throws ProviderRefused     when the provider refuses although its state is as we know it
	 */
	Payment reverse(Payment payment) {
		Payment current = payment;
		for (int step = 0; step < MAX_STEPS; step++) {
			String orderId = current.orderId();
			String authorization = current.pspAuthorizationId();
			long refundable = current.capturedMinor() - current.refundedMinor();
			switch (current.status()) {
				case AUTHORIZED -> current = authorization == null
						? recorder.record(current.voidedWithoutProvider(clock.instant()))
						: act(current, () -> provider.voidAuthorization(IdempotencyKeys.voidAuthorization(orderId),
								authorization));
				case CAPTURED -> current = authorization == null
						? recorder.record(current.refundedWithoutProvider(clock.instant()))
						: act(current, () -> provider.refund(IdempotencyKeys.refund(orderId), authorization, refundable));
				default -> {
					return current;
				}
			}
		}
		throw new IllegalStateException("Payment " + payment.paymentId() + " still holds money after " + MAX_STEPS
				+ " steps: " + current.status());
	}

	private Payment act(Payment current, Supplier<ProviderAuthorization> call) {
		try {
			return recorder.record(current, call.get());
		}
		catch (ProviderRefused refused) {
			ProviderAuthorization now = provider.find(current.pspAuthorizationId()).orElseThrow(() -> refused);
			if (now.paymentStatus() == current.status()) {
				throw refused;
			}
			return recorder.record(current, now);
		}
	}
}
