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
 */
@ConfigurationProperties("orderly.payment")
public record PaymentProperties(@DefaultValue("6") int concurrency, @DefaultValue Psp psp, @DefaultValue Watch watch) {

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
	 */
	public record Psp(String baseUrl, @DefaultValue("orderly") String account,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout,
			@DefaultValue("3") int maxAttempts, @DefaultValue("100ms") Duration backoffBase,
			@DefaultValue("1s") Duration backoffMax) {

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
