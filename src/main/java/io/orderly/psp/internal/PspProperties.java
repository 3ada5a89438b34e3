package io.orderly.psp.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the PSP simulator ({@code orderly.psp.*}).
 *
 * @param port           the simulator's own HTTP port; 0 picks a free one at startup (tests)
 * @param address        the address its port listens on: loopback unless set, so that nobody else
 *                       can reach the provider's API (refund another order's capture, say)
 * @param baseUrl        where clients reach the simulator's API; defaults to
 *                       {@code http://localhost:<port>} when the simulator runs in this process
 * @param idempotencyTtl how long an idempotency key and its stored response are kept
 * @param inFlightLease  how long a key stays locked by a request that never finished (a crash)
 *                       before a retry may take it over
 * @param randomSeed     seed for the fault dice; empty means unpredictable
 * @param faults         the faults in force at startup
 * @param webhooks       the events the simulator sends the merchant
 */
@ConfigurationProperties("orderly.psp")
public record PspProperties(
		@DefaultValue("8090") int port,
		@DefaultValue("127.0.0.1") String address,
		String baseUrl,
		@DefaultValue("24h") Duration idempotencyTtl,
		@DefaultValue("60s") Duration inFlightLease,
		Long randomSeed,
		@DefaultValue FaultSettings faults,
		@DefaultValue Webhooks webhooks) {

	/**
	 * Webhooks ({@code orderly.psp.webhooks.*}): an event per change of an authorization, signed
	 * with {@code secret} (default: a random one per process, which the payment module of the same
	 * process is given too), POSTed to {@code url} (default: this process's own
	 * {@code /v1/webhooks/psp}).
	 */
	public record Webhooks(@DefaultValue("true") boolean enabled, String url, String secret) {
	}

	public PspProperties {
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("orderly.psp.port must be 0..65535, was " + port);
		}
		if (!idempotencyTtl.isPositive() || !inFlightLease.isPositive()) {
			throw new IllegalArgumentException("orderly.psp durations must be positive");
		}
	}
}
