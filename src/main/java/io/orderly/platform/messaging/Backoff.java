package io.orderly.platform.messaging;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: before attempt {@code n + 1} wait a random time between
 * half and all of {@code base * 2^(n-1)}, capped at {@code max}, so retries of many
 * messages that failed together spread out instead of arriving together.
 */
public record Backoff(Duration base, Duration max) {

	public Duration afterAttempt(int attempts) {
		long ceiling = base.toMillis() << Math.min(Math.max(attempts - 1, 0), 30);
		if (ceiling <= 0 || ceiling > max.toMillis()) {
			ceiling = max.toMillis();
		}
		long floor = ceiling / 2;
		return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
	}
}
