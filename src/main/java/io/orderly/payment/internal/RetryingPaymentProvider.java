package io.orderly.payment.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.orderly.platform.messaging.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats a call whose outcome is unknown ({@link ProviderUnavailable}) a few times, with
 * exponential backoff and jitter, honouring the provider's Retry-After up to the longest
 * backoff. Every repeat carries the same idempotency key, so it is answered, not done again.
 * A refusal ({@link ProviderRefused}) or a decline is never repeated. The attempts are few and
 * the waits short because the caller holds a database connection meanwhile.
 */
final class RetryingPaymentProvider implements PaymentProvider {

	private static final Logger log = LoggerFactory.getLogger(RetryingPaymentProvider.class);

	/** Waits between attempts; tests pass one that does not sleep. */
	@FunctionalInterface
	interface Pause {

		void pause(Duration duration);

		Pause SLEEP = duration -> {
			try {
				Thread.sleep(duration);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};
	}

	private final PaymentProvider delegate;

	private final int maxAttempts;

	private final Backoff backoff;

	private final Pause pause;

	private final PspCallMetrics metrics;

	RetryingPaymentProvider(PaymentProvider delegate, int maxAttempts, Backoff backoff, Pause pause,
			PspCallMetrics metrics) {
		this.delegate = delegate;
		this.maxAttempts = maxAttempts;
		this.backoff = backoff;
		this.pause = pause;
		this.metrics = metrics;
	}

	@Override
	public ProviderAuthorization authorize(String idempotencyKey, String reference, long amountMinor, String currency,
			String token) {
		return retry("authorize", () -> delegate.authorize(idempotencyKey, reference, amountMinor, currency, token));
	}

	@Override
	public ProviderAuthorization capture(String idempotencyKey, String authorizationId, long amountMinor) {
		return retry("capture", () -> delegate.capture(idempotencyKey, authorizationId, amountMinor));
	}

	@Override
	public ProviderAuthorization voidAuthorization(String idempotencyKey, String authorizationId) {
		return retry("void", () -> delegate.voidAuthorization(idempotencyKey, authorizationId));
	}

	@Override
	public ProviderAuthorization refund(String idempotencyKey, String authorizationId, long amountMinor) {
		return retry("refund", () -> delegate.refund(idempotencyKey, authorizationId, amountMinor));
	}

	@Override
	public Optional<ProviderAuthorization> find(String authorizationId) {
		return retry("find", () -> delegate.find(authorizationId));
	}

	@Override
	public List<ProviderAuthorization> findByReference(String reference) {
		return retry("lookup", () -> delegate.findByReference(reference));
	}

	private <T> T retry(String operation, Supplier<T> call) {
		for (int attempt = 1;; attempt++) {
			try {
				return call.get();
			}
			catch (ProviderUnavailable ex) {
				if (attempt >= maxAttempts || Thread.currentThread().isInterrupted()) {
					throw ex;
				}
				Duration wait = backoff.afterAttempt(attempt);
				Duration asked = ex.retryAfter().orElse(Duration.ZERO);
				if (asked.compareTo(wait) > 0) {
					wait = asked.compareTo(backoff.max()) > 0 ? backoff.max() : asked;
				}
				log.debug("PSP {} attempt {} of {} failed ({}); again in {} ms", operation, attempt, maxAttempts,
						ex.failure(), wait.toMillis());
				metrics.retry(operation);
				pause.pause(wait);
			}
		}
	}
}
