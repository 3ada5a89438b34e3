package io.orderly.inventory.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the inventory module holds stock.
 *
 * @param reservationTtl  how long an order's units stay reserved without a commit or release
 * @param expiryBatchSize reservations the expiry job returns to stock per transaction
 * @param expiryInterval  pause between two runs of the expiry job
 * @param demoData        seed a few products with stock when an embedded database starts with
 *                        an empty catalog
 * @param catalogMaxAge   how long a client may use a product it read without asking again
 *                        (after that it revalidates with the product's ETag)
 */
@ConfigurationProperties("orderly.inventory")
public record InventoryProperties(
		@DefaultValue("30m") Duration reservationTtl,
		@DefaultValue("100") int expiryBatchSize,
		@DefaultValue("1s") Duration expiryInterval,
		@DefaultValue("false") boolean demoData,
		@DefaultValue("60s") Duration catalogMaxAge) {

	public InventoryProperties {
		if (reservationTtl.isNegative() || reservationTtl.isZero()) {
			throw new IllegalArgumentException("orderly.inventory.reservation-ttl must be positive");
		}
		if (expiryBatchSize < 1 || expiryBatchSize > 10_000) {
			throw new IllegalArgumentException("orderly.inventory.expiry-batch-size must be 1..10000");
		}
		if (catalogMaxAge.isNegative()) {
			throw new IllegalArgumentException("orderly.inventory.catalog-max-age must not be negative");
		}
	}
}
