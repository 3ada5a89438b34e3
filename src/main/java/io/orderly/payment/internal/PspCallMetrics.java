package io.orderly.payment.internal;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The provider calls at /actuator/prometheus: {@code orderly.payment.psp.calls} times every
 * HTTP call by {@code operation} (authorize, capture, void, refund, find, lookup) and
 * {@code outcome} (ok, not_found, refused, connection_refused, timeout, no_response,
 * server_error, key_in_use); {@code orderly.payment.psp.retries} counts repeated calls by operation.
 * Retries, breaker and bulkhead also have Resilience4j's own metrics
 * ({@code resilience4j_retry_calls}, {@code resilience4j_circuitbreaker_state}, ...).
 */
final class PspCallMetrics {

	private final MeterRegistry registry;

	PspCallMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void call(String operation, String outcome, long nanos) {
		Timer.builder("orderly.payment.psp.calls")
			.description("Calls to the payment provider, by operation and outcome")
			.tag("operation", operation)
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.register(registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	void retry(String operation) {
		Counter.builder("orderly.payment.psp.retries")
			.description("Calls to the payment provider repeated after an unknown outcome")
			.tag("operation", operation)
			.register(registry)
			.increment();
	}
}
