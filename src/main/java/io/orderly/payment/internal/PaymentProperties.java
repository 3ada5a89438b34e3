package io.orderly.payment.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the payment module ({@code orderly.payment.*}).
 *
 * @param concurrency partitions of orders whose commands are applied in parallel. Each holds a
 *                    database connection while it waits for the provider: keep it well under
 *                    the connection pool's size (16 by default)
 * @param psp         the provider client
 * @param watch       the watch over payments answered as declined without the provider's word
 * @param pending     authorizations waiting for the provider to come back
 */
@ConfigurationProperties("orderly.payment")
public record PaymentProperties(@DefaultValue("6") int concurrency, @DefaultValue Psp psp, @DefaultValue Watch watch,
		@DefaultValue Pending pending) {

	/**
	 * Authorizations waiting for the provider ({@code orderly.payment.pending.*}): while it is
	 * down or the breaker is open, an order's authorization is asked again, with backoff, until
	 * {@code maxWait} has passed; then the order is cancelled with {@code payment_unavailable}.
	 * When the provider answers again, the waiting authorizations are resumed a few at first and
	 * twice as many each round that goes well, up to {@code batch} a round.
	 *
	 * @param maxWait      the longest an order waits for the provider; zero: it does not wait
	 * @param interval     how often waiting authorizations are looked at
	 * @param backoffBase  the first wait between attempts of one authorization; doubles, with jitter
	 * @param backoffMax   the longest wait between attempts of one authorization
	 * @param batch        the most authorizations asked again per round
	 * @param lease        how long an attempt in flight is left alone; past it, its process is taken
	 *                     for dead and the call is made again with the same key. Keep it above the
	 *                     longest call: attempts times (connect + read timeout), twice (the lookup).
	 *                     An attempt that outlives it anyway (a slow reversal, a long wait for a
	 *                     turn) is overtaken, and its late answer decides nothing
	 * @param maxFailures  attempts of one call that may end in an error of ours (a bug, the
	 *                     database away) before the call is given up as unanswered; each is logged
	 */
	public record Pending(@DefaultValue("15m") Duration maxWait, @DefaultValue("1s") Duration interval,
			@DefaultValue("2s") Duration backoffBase, @DefaultValue("30s") Duration backoffMax,
			@DefaultValue("64") int batch, @DefaultValue("1m") Duration lease, @DefaultValue("5") int maxFailures) {

		public Pending {
			if (maxWait.isNegative() || !interval.isPositive() || !backoffBase.isPositive()
					|| backoffMax.compareTo(backoffBase) < 0 || batch < 1 || !lease.isPositive() || maxFailures < 1) {
				throw new IllegalArgumentException("orderly.payment.pending settings out of range");
			}
		}

		public boolean enabled() {
			return maxWait.isPositive();
		}
	}

	public PaymentProperties {
		if (concurrency < 1 || concurrency > 16) {
			throw new IllegalArgumentException("orderly.payment.concurrency must be 1..16, was " + concurrency);
		}
	}

	/**
	 * The provider client ({@code orderly.payment.psp.*}).
	 *
	 * @param baseUrl        the provider's base URL; empty means {@code orderly.psp.base-url} (the
	 *                       simulator's), or {@code http://localhost:8090}
	 * @param account        sent as {@code Psp-Account}: the scope of our idempotency keys
	 * @param connectTimeout longest wait for a connection
	 * @param readTimeout    longest wait for an answer, once connected
	 * @param maxAttempts    attempts per call when the outcome is unknown (the first included)
	 * @param backoffBase    wait before the second attempt; doubles per attempt, with jitter
	 * @param backoffMax     longest wait between attempts, also for the provider's Retry-After
	 * @param maxConcurrentCalls the bulkhead: calls to the provider in flight at once. A call holds
	 *                    no database connection and no platform thread (it runs on a virtual
	 *                    thread), so this bounds what we ask of the provider, and with its latency
	 *                    the orders per second it can serve: 2 calls per order, so 128 calls at
	 *                    500 ms serve 128 orders/s
	 * @param bulkheadWait   longest wait for a turn in the bulkhead
	 * @param breaker        the circuit breaker
	 */
	public record Psp(String baseUrl, @DefaultValue("orderly") String account,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout,
			@DefaultValue("3") int maxAttempts, @DefaultValue("100ms") Duration backoffBase,
			@DefaultValue("1s") Duration backoffMax, @DefaultValue("128") int maxConcurrentCalls,
			@DefaultValue("500ms") Duration bulkheadWait, @DefaultValue Breaker breaker) {

		public Psp {
			if (!connectTimeout.isPositive() || !readTimeout.isPositive()) {
				throw new IllegalArgumentException("orderly.payment.psp timeouts must be positive");
			}
			if (maxAttempts < 1 || maxAttempts > 10) {
				throw new IllegalArgumentException("orderly.payment.psp.max-attempts must be 1..10, was " + maxAttempts);
			}
			if (backoffBase.isNegative() || backoffMax.compareTo(backoffBase) < 0) {
				throw new IllegalArgumentException("orderly.payment.psp.backoff-max must be >= backoff-base >= 0");
			}
		}
	}

	/**
	 * The circuit breaker over the provider ({@code orderly.payment.psp.breaker.*}).
	 *
	 * @param window             the rolling window calls are judged over
	 * @param minimumCalls       calls in the window before the breaker may open
	 * @param failureRatePercent share of failed (or slower than the read timeout) calls that opens it
	 * @param openFor            how long it stays open, on average: each time a random 50% to 150% of it
	 * @param halfOpenCalls      probe calls let through before it closes or opens again
	 */
	public record Breaker(@DefaultValue("10s") Duration window, @DefaultValue("10") int minimumCalls,
			@DefaultValue("50") float failureRatePercent, @DefaultValue("10s") Duration openFor,
			@DefaultValue("3") int halfOpenCalls) {

		public Breaker {
			if (window.toSeconds() < 1 || minimumCalls < 1 || failureRatePercent <= 0 || failureRatePercent > 100
					|| !openFor.isPositive() || halfOpenCalls < 1) {
				throw new IllegalArgumentException("orderly.payment.psp.breaker settings out of range");
			}
		}
	}

	/**
	 * The watch ({@code orderly.payment.watch.*}) over payments answered as declined while the
	 * provider might hold something (it could not be reached, or an authorization may still be
	 * on its way): they are looked up by reference until {@code duration} has passed, and
	 * whatever is found is voided or refunded.
	 *
	 * @param interval  how often due payments are looked at; also the first backoff between looks
	 * @param duration  how long a payment is watched
	 * @param batchSize payments looked at per round
	 */
	public record Watch(@DefaultValue("5s") Duration interval, @DefaultValue("10m") Duration duration,
			@DefaultValue("50") int batchSize) {

		public Watch {
			if (!interval.isPositive() || !duration.isPositive() || batchSize < 1) {
				throw new IllegalArgumentException("orderly.payment.watch settings must be positive");
			}
		}
	}
}
