package io.orderly.psp.internal;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The faults the simulator injects into its payment API, each decided per request. A field
 * left out takes its default (no fault; {@code timeoutMs} 30000).
 *
 * @param errorRate        share of requests answered 500 before anything is done
 * @param latencyMs        delay added to every request before it is handled
 * @param timeoutRate      share of requests that hang for {@code timeoutMs}, then are answered
 *                         504 without anything done (the client's own timeout fires first)
 * @param timeoutMs        how long a timed-out request hangs
 * @param lostResponseRate share of requests that are handled and committed, whose response is
 *                         then lost: the connection is closed without an answer
 * @param down             the simulator's port refuses connections
 */
@Schema(description = "Faults injected into the PSP simulator's payment API")
public record FaultSettings(
		@Schema(example = "0.3", minimum = "0", maximum = "1") Double errorRate,
		@Schema(example = "50", minimum = "0", maximum = "600000") Long latencyMs,
		@Schema(example = "0.05", minimum = "0", maximum = "1") Double timeoutRate,
		@Schema(example = "30000", minimum = "1", maximum = "600000") Long timeoutMs,
		@Schema(example = "0.05", minimum = "0", maximum = "1") Double lostResponseRate,
		@Schema(example = "false") Boolean down) {

	static final long DEFAULT_TIMEOUT_MS = 30_000;

	private static final long MAX_DELAY_MS = 600_000;

	public FaultSettings {
		errorRate = rate("errorRate", errorRate);
		timeoutRate = rate("timeoutRate", timeoutRate);
		lostResponseRate = rate("lostResponseRate", lostResponseRate);
		latencyMs = latencyMs == null ? 0 : latencyMs;
		if (latencyMs < 0 || latencyMs > MAX_DELAY_MS) {
			throw new IllegalArgumentException("latencyMs must be 0.." + MAX_DELAY_MS);
		}
		timeoutMs = timeoutMs == null ? DEFAULT_TIMEOUT_MS : timeoutMs;
		if (timeoutMs < 1 || timeoutMs > MAX_DELAY_MS) {
			throw new IllegalArgumentException("timeoutMs must be 1.." + MAX_DELAY_MS);
		}
		down = down != null && down;
	}

	/** No faults at all. */
	public static FaultSettings none() {
		return new FaultSettings(null, null, null, null, null, null);
	}

	private static double rate(String name, Double rate) {
		if (rate == null) {
			return 0;
		}
		if (rate.isNaN() || rate < 0 || rate > 1) {
			throw new IllegalArgumentException(name + " must be between 0 and 1");
		}
		return rate;
	}
}
