package io.orderly.payment.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.platform.LogEvery;
import io.orderly.payment.internal.ProviderUnavailable.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider behind Resilience4j's layers, outermost first:
 * <ol>
 * <li>retry, only for an unknown outcome ({@link ProviderUnavailable}: timeout, refused
 * connection, lost response, 5xx, key in use), with exponential backoff and full jitter, or
 * the provider's Retry-After up to the longest backoff. Every repeat carries the same
 * idempotency key, so it is answered, not done again. A refusal or a decline is never
 * repeated, nor a call the breaker or the bulkhead turned away;</li>
 * <li>a bulkhead bounding concurrent calls, so a slow provider cannot hold every thread and
 * database connection;</li>
 * <li>a circuit breaker for the provider: over a rolling time window and past a minimum
 * number of calls, when too many fail (or take longer than the read timeout) it opens and
 * calls fail at once, without reaching the provider, for a random time (so instances do not
 * all probe together), then lets a few probe calls through;</li>
 * <li>the call's own timeouts (connect and read, innermost, in {@link HttpPaymentProvider}).</li>
 * </ol>
 * Calls turned away by the breaker or the bulkhead are {@link ProviderUnavailable} with
 * {@link Failure#CIRCUIT_OPEN} or {@link Failure#BULKHEAD_FULL}: nothing was done. States,
 * transitions, retries and rejections are metrics ({@code resilience4j_*}) and log lines.
 */
final class ResilientPaymentProvider implements PaymentProvider {

	private static final Logger log = LoggerFactory.getLogger(ResilientPaymentProvider.class);

	static final String NAME = "psp";

	private final PaymentProvider delegate;

	private final Retry retry;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final PspCallMetrics metrics;

	private final LogEvery notPermitted = new LogEvery(Duration.ofSeconds(10));

	ResilientPaymentProvider(PaymentProvider delegate, PaymentProperties.Psp settings, MeterRegistry meters) {
		this.delegate = delegate;
		this.metrics = new PspCallMetrics(meters);
		RetryRegistry retries = RetryRegistry.ofDefaults();
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
		BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
		this.retry = retries.retry(NAME, RetryConfig.custom()
			.maxAttempts(settings.maxAttempts())
			.retryOnException(ResilientPaymentProvider::retriable)
			.intervalBiFunction(waits(settings.backoffBase(), settings.backoffMax()))
			.build());
		PaymentProperties.Breaker b = settings.breaker();
		this.breaker = breakers.circuitBreaker(NAME, CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
			.slidingWindowSize((int) b.window().toSeconds())
			.minimumNumberOfCalls(b.minimumCalls())
			.failureRateThreshold(b.failureRatePercent())
			.slowCallDurationThreshold(settings.readTimeout())
			.permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
			.waitIntervalFunctionInOpenState(IntervalFunction.ofRandomized(b.openFor(), 0.5))
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.recordException(ResilientPaymentProvider::providerFailed)
			.build());
		this.bulkhead = bulkheads.bulkhead(NAME, BulkheadConfig.custom()
			.maxConcurrentCalls(settings.maxConcurrentCalls())
			.maxWaitDuration(settings.bulkheadWait())
			.build());
		retry.getEventPublisher()
			.onRetry(event -> log.info("psp_retry attempt={} wait_ms={} cause=\"{}\"", event.getNumberOfRetryAttempts(),
					event.getWaitInterval().toMillis(), event.getLastThrowable().getMessage()));
		breaker.getEventPublisher()
			.onStateTransition(event -> log.warn("psp_breaker transition={} failure_rate={} calls={}",
					event.getStateTransition(), breaker.getMetrics().getFailureRate(),
					breaker.getMetrics().getNumberOfBufferedCalls()));
		breaker.getEventPublisher().onCallNotPermitted(event -> {
			// Every call while open is refused: one line per ten seconds says how many.
			long refused = notPermitted.occurred();
			if (refused > 0) {
				log.warn("psp_breaker calls_not_permitted={} state={}", refused, breaker.getState());
			}
		});
		bulkhead.getEventPublisher()
			.onCallRejected(event -> log.warn("psp_bulkhead call_rejected max_concurrent={}",
					bulkhead.getBulkheadConfig().getMaxConcurrentCalls()));
		TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
		TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
	}

	/** Whether the call is worth repeating (with its key): no usable answer, and not turned away here. */
	private static boolean retriable(Throwable failure) {
		return failure instanceof ProviderUnavailable unavailable && unavailable.failure() != Failure.CIRCUIT_OPEN
				&& unavailable.failure() != Failure.BULKHEAD_FULL;
	}

	/** Whether a failure counts against the provider's health (a refusal or a key in use does not). */
	private static boolean providerFailed(Throwable failure) {
		return failure instanceof ProviderUnavailable unavailable && unavailable.failure() != Failure.KEY_IN_USE
				&& unavailable.failure() != Failure.CIRCUIT_OPEN && unavailable.failure() != Failure.BULKHEAD_FULL;
	}

	/**
	 * Full jitter: before repeat n, a random wait between zero and {@code base * 2^(n-1)}, capped
	 * at {@code max}; a Retry-After the provider sent is waited instead, up to {@code max}.
	 */
	static IntervalBiFunction<Object> waits(Duration base, Duration max) {
		return (attempt, outcome) -> {
			if (outcome.isLeft() && outcome.getLeft() instanceof ProviderUnavailable unavailable
					&& unavailable.retryAfter().isPresent()) {
				return Math.min(unavailable.retryAfter().get().toMillis(), max.toMillis());
			}
			long ceiling = Math.min(base.toMillis() << Math.min(Math.max(attempt - 1, 0), 30), max.toMillis());
			return ThreadLocalRandom.current().nextLong(ceiling + 1);
		};
	}

	CircuitBreaker breaker() {
		return breaker;
	}

	Bulkhead bulkhead() {
		return bulkhead;
	}

	@Override
	public ProviderAuthorization authorize(String idempotencyKey, String reference, long amountMinor, String currency,
			String token) {
		return call("authorize", () -> delegate.authorize(idempotencyKey, reference, amountMinor, currency, token));
	}

	@Override
	public ProviderAuthorization capture(String idempotencyKey, String authorizationId, long amountMinor) {
		return call("capture", () -> delegate.capture(idempotencyKey, authorizationId, amountMinor));
	}

	@Override
	public ProviderAuthorization voidAuthorization(String idempotencyKey, String authorizationId) {
		return call("void", () -> delegate.voidAuthorization(idempotencyKey, authorizationId));
	}

	@Override
	public ProviderAuthorization refund(String idempotencyKey, String authorizationId, long amountMinor) {
		return call("refund", () -> delegate.refund(idempotencyKey, authorizationId, amountMinor));
	}

	@Override
	public Optional<ProviderAuthorization> find(String authorizationId) {
		return call("find", () -> delegate.find(authorizationId));
	}

	@Override
	public List<ProviderAuthorization> findByReference(String reference) {
		return call("lookup", () -> delegate.findByReference(reference));
	}

	private <T> T call(String operation, Supplier<T> call) {
		Supplier<T> guarded = Bulkhead.decorateSupplier(bulkhead, CircuitBreaker.decorateSupplier(breaker, call));
		int[] attempts = {0};
		return Retry.decorateSupplier(retry, () -> {
			if (attempts[0]++ > 0) {
				metrics.retry(operation);
			}
			try {
				return guarded.get();
			}
			catch (CallNotPermittedException ex) {
				throw new ProviderUnavailable(operation, Failure.CIRCUIT_OPEN, "the circuit breaker is open", null, ex);
			}
			catch (BulkheadFullException ex) {
				throw new ProviderUnavailable(operation, Failure.BULKHEAD_FULL, ex.getMessage(), null, ex);
			}
		}).get();
	}
}
