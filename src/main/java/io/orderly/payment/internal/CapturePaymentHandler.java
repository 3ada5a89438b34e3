package io.orderly.payment.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.orderly.payment.CapturePayment;
import io.orderly.payment.PaymentCaptureFailed;
import io.orderly.payment.PaymentCaptured;
import io.orderly.payment.PaymentStatus;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * {@link CapturePayment}: takes the authorized amount, exactly that and once, with the key
 * {@code capture:<orderId>}, and answers {@link PaymentCaptured}; a payment that is captured
 * already gets the same answer again. Without an authorization (none, declined, unknown,
 * voided) the answer is {@link PaymentCaptureFailed}, and nothing is charged.
 *
 * <p>When the provider gives no usable answer even after the retries (an outage, the breaker
 * open), the outcome is unknown, and answering "failed" would be a guess, as would "captured".
 * The capture waits ({@link PendingAuthorizations}) and {@link PendingAuthorizationRetrier}
 * asks again with the same key until the provider answers or
 * {@code orderly.payment.pending.max-wait} has passed (then: failed, {@code payment_unavailable}).
 * With no wait configured, the handler throws and the kernel delivers the command again.
 */
@Component
@ConditionalOnModule("payment")
class CapturePaymentHandler {

	static final String NO_AUTHORIZATION = "no_authorization";

	private static final Logger log = LoggerFactory.getLogger(CapturePaymentHandler.class);

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final PaymentProvider provider;

	private final Outbox outbox;

	private final Clock clock;

	private final PendingAuthorizations pending;

	private final PaymentProperties properties;

	CapturePaymentHandler(Payments payments, PaymentRecorder recorder, PaymentProvider provider, Outbox outbox,
			Clock clock, PendingAuthorizations pending, PaymentProperties properties) {
		this.pending = pending;
		this.properties = properties;
		this.payments = payments;
		this.recorder = recorder;
		this.provider = provider;
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
		Object answer;
		try {
			answer = switch (payment.status()) {
				case CAPTURED -> captured(payment);
				case AUTHORIZED -> capture(payment);
				default -> new PaymentCaptureFailed(orderId, failure(payment.status()));
			};
		}
		catch (ProviderUnavailable unavailable) {
			if (!properties.pending().enabled()) {
				throw unavailable;
			}
			Instant now = clock.instant();
			log.warn("No answer from the provider to capture order {} ({}); the capture waits", orderId,
					unavailable.getMessage());
			pending.insertCapture(orderId, now.plus(properties.pending().maxWait()),
					now.plus(properties.pending().backoffBase()), now);
			return;
		}
		outbox.publish(orderId, answer);
	}

	/** Captures an authorized payment and answers; throws {@link ProviderUnavailable} when the provider does not tell. */
	Object capture(Payment payment) {
		if (payment.pspAuthorizationId() == null) {
			return captured(recorder.record(payment.capturedWithoutProvider(clock.instant())));
		}
		String orderId = payment.orderId();
		ProviderAuthorization at;
		try {
			// The whole authorized amount, never more: the provider's authorization is what we recorded.
			at = provider.capture(IdempotencyKeys.capture(orderId), payment.pspAuthorizationId(), payment.amountMinor());
		}
		catch (ProviderRefused refused) {
			// Its state moved on without us (voided, or captured under an expired key): read it.
			Optional<ProviderAuthorization> now = provider.find(payment.pspAuthorizationId());
			if (now.isEmpty()) {
				log.error("Capture of order {} refused and its authorization is gone: {}", orderId, refused.getMessage());
				return new PaymentCaptureFailed(orderId, refused.code());
			}
			at = now.get();
		}
		Payment recorded = recorder.record(payment, at);
		if (recorded.status() != PaymentStatus.CAPTURED) {
			log.warn("Capture of order {} failed: the provider's authorization is {}", orderId, recorded.status());
			return new PaymentCaptureFailed(orderId, failure(recorded.status()));
		}
		return captured(recorded);
	}

	static PaymentCaptured captured(Payment payment) {
		return new PaymentCaptured(payment.orderId(), payment.paymentId(), payment.capturedMinor(), payment.currency());
	}

	private static String failure(PaymentStatus status) {
		return switch (status) {
			case VOIDED, REFUNDED -> "payment_" + status.name().toLowerCase(Locale.ROOT);
			default -> NO_AUTHORIZATION;
		};
	}
}
