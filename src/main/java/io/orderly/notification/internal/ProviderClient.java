package io.orderly.notification.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider (an SMS or push provider over HTTP, an SMTP server), behind its own circuit
 * breaker, bulkhead and rate limit (Resilience4j, Bucket4j), so one slow or failing provider
 * holds no worker of another. A call says plainly what is known afterwards ({@link Answer}):
 * taken, refused for good, surely not taken (refused connection, 503, 429, breaker open,
 * bulkhead full), or unknown (no answer after the request left).
 */
final class ProviderClient {

	private static final Logger log = LoggerFactory.getLogger(ProviderClient.class);

	private final String name;

	private final Transport transport;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final Bucket rate;

	/** What a call to the provider left known. */
	sealed interface Answer permits Taken, Refused, NotTaken, Unknown {
	}

	record Taken(String messageId) implements Answer {
	}

	record Refused(String reason) implements Answer {
	}

	/** {@code attempted}: the provider was asked and said no (not a breaker, bulkhead or rate limit turning it away). */
	record NotTaken(String reason, boolean attempted) implements Answer {
	}

	record Unknown(String reason) implements Answer {
	}

	/** How the provider is asked for one message, under its idempotency key. */
	interface Transport {

		Answer call(String key, ChannelSender.Outgoing message) throws InterruptedException;
	}

	ProviderClient(String name, NotificationProperties.Provider settings, Transport transport,
			CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads) {
		this.name = name;
		this.transport = transport;
		NotificationProperties.Breaker b = settings.breaker();
		this.breaker = breakers.circuitBreaker("notification-" + name, CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
			.slidingWindowSize((int) Math.max(b.window().toSeconds(), 1))
			.minimumNumberOfCalls(b.minimumCalls())
			.failureRateThreshold(b.failureRatePercent())
			.slowCallDurationThreshold(settings.timeout())
			.permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
			.waitIntervalFunctionInOpenState(IntervalFunction.of(b.openFor()))
			.automaticTransitionFromOpenToHalfOpenEnabled(true)
			.recordException(failure -> failure instanceof CallFailed)
			.build());
		this.bulkhead = bulkheads.bulkhead("notification-" + name,
				BulkheadConfig.custom().maxConcurrentCalls(settings.maxConcurrent()).maxWaitDuration(Duration.ZERO).build());
		// A tenth of a second's calls at most in a burst: a full second's (after a pause) would let a
		// calendar second hold nearly twice the rate, which a provider counting per second refuses.
		this.rate = Bucket.builder()
			.addLimit(Bandwidth.builder()
				.capacity(Math.max(1, settings.ratePerSecond() / 10))
				.refillGreedy(settings.ratePerSecond(), Duration.ofSeconds(1))
				.build())
			.build();
		breaker.getEventPublisher()
			.onStateTransition(event -> log.warn("notification_provider_breaker provider={} transition={}", name,
					event.getStateTransition()));
	}

	String name() {
		return name;
	}

	/** Whether calls go through now: the breaker closed, or probing with a probe left. */
	boolean available() {
		return switch (breaker.getState()) {
			case CLOSED, DISABLED, METRICS_ONLY -> true;
			case HALF_OPEN -> breaker.getMetrics().getNumberOfBufferedCalls() < breaker.getCircuitBreakerConfig()
				.getPermittedNumberOfCallsInHalfOpenState();
			case OPEN, FORCED_OPEN -> false;
		};
	}

	/** Whether the breaker is letting a few calls through to see if the provider is back. */
	boolean probing() {
		return breaker.getState() == CircuitBreaker.State.HALF_OPEN;
	}

	/** Sends one message under {@code key}: the same key is the same message to the provider. */
	Answer send(String key, ChannelSender.Outgoing message) {
		if (!breaker.tryAcquirePermission()) {
			return new NotTaken("circuit_open", false);
		}
		if (!bulkhead.tryAcquirePermission()) {
			breaker.releasePermission();
			return new NotTaken("bulkhead_full", false);
		}
		long start = System.nanoTime();
		try {
			// The provider's own limit, kept here: a call waits for its turn rather than being refused.
			if (!rate.asBlocking().tryConsume(1, Duration.ofSeconds(5))) {
				breaker.releasePermission();
				return new NotTaken("rate_limited_here", false);
			}
			Answer answer;
			try {
				answer = transport.call(key, message);
			}
			catch (RuntimeException unexpected) {
				// Reported to the breaker like any failed call (a probe that threw must not be lost).
				log.warn("notification_provider_call_failed provider={}", name, unexpected);
				answer = new Unknown(unexpected.getClass().getSimpleName() + ": " + unexpected.getMessage());
			}
			long took = System.nanoTime() - start;
			if (answer instanceof Unknown || answer instanceof NotTaken notTaken && notTaken.attempted()) {
				breaker.onError(took, TimeUnit.NANOSECONDS, new CallFailed());
			}
			else {
				breaker.onSuccess(took, TimeUnit.NANOSECONDS);
			}
			return answer;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			breaker.releasePermission();
			return new NotTaken("interrupted", false);
		}
		finally {
			bulkhead.onComplete();
		}
	}

	/** What the breaker counts against the provider. */
	private static final class CallFailed extends RuntimeException {

		CallFailed() {
			super(null, null, false, false);
		}
	}
}
