package io.orderly.payment.internal;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import io.orderly.payment.CapturePayment;
import io.orderly.payment.PaymentCaptureFailed;
import io.orderly.payment.PaymentCaptured;
import io.orderly.payment.PaymentStatus;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Outbox;

import org.springframework.stereotype.Component;

/**
 * {@link CapturePayment}: takes the authorized amount, exactly that and once, with the key
 * {@code capture:<orderId>}, and answers {@link PaymentCaptured}; a payment that is captured
 * already gets the same answer again. Without an authorization (none, declined, unknown,
 * voided) the answer is {@link PaymentCaptureFailed}, and nothing is charged.
 *
 * <p>The capture itself is a provider call ({@link ProviderCalls}), made once this commits and
 * answered from there; a command repeated while it is made is answered with it. Its outcome,
 * when the provider does not tell, is never guessed: the call is made again until it does.
 */
@Component
@ConditionalOnModule("payment")
class CapturePaymentHandler {

	static final String NO_AUTHORIZATION = "no_authorization";

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final ProviderCalls calls;

	private final Outbox outbox;

	private final Clock clock;

	CapturePaymentHandler(Payments payments, PaymentRecorder recorder, ProviderCalls calls, Outbox outbox, Clock clock) {
		this.payments = payments;
		this.recorder = recorder;
		this.calls = calls;
		this.outbox = outbox;
		this.clock = clock;
	}

	void on(CapturePayment command, Message message) {
		String orderId = command.orderId();
		Optional<Payment> found = payments.lock(orderId);
		if (found.isEmpty() || found.get().answeredDeclined()) {
			outbox.publish(orderId, new PaymentCaptureFailed(orderId, NO_AUTHORIZATION));
			return;
		}
		Payment payment = found.get();
		switch (payment.status()) {
			case CAPTURED -> outbox.publish(orderId, captured(payment));
			case AUTHORIZED -> capture(payment);
			default -> outbox.publish(orderId, new PaymentCaptureFailed(orderId, failure(payment.status())));
		}
	}

	private void capture(Payment payment) {
		String orderId = payment.orderId();
		if (payment.pspAuthorizationId() == null) {
			outbox.publish(orderId, captured(recorder.record(payment.capturedWithoutProvider(clock.instant()))));
		}
		else if (!calls.join(orderId, ProviderCallStore.Operation.CAPTURE) && !calls.capture(payment)) {
			// Being undone (a cancel came first): no capture may follow.
			outbox.publish(orderId, new PaymentCaptureFailed(orderId, "payment_cancelled"));
		}
	}

	static PaymentCaptured captured(Payment payment) {
		return new PaymentCaptured(payment.orderId(), payment.paymentId(), payment.capturedMinor(), payment.currency());
	}

	static String failure(PaymentStatus status) {
		return switch (status) {
			case VOIDED, REFUNDED -> "payment_" + status.name().toLowerCase(Locale.ROOT);
			default -> NO_AUTHORIZATION;
		};
	}
}
