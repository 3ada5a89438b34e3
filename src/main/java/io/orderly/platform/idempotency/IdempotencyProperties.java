package io.orderly.platform.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ttl           how long a key and its stored response are kept
 * @param maxBodyBytes  largest request body the facility reads to fingerprint a request
 * @param excludedPathPrefixes request paths the facility leaves alone
 */
@ConfigurationProperties("orderly.idempotency")
public record IdempotencyProperties(
		@DefaultValue("24h") Duration ttl,
		@DefaultValue("1048576") int maxBodyBytes,
		@DefaultValue("/psp/") java.util.List<String> excludedPathPrefixes) {

	public IdempotencyProperties {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("orderly.idempotency durations must be positive");
		}
	}
}
