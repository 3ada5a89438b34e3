package io.orderly.inventory.internal;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A product's stock: units on hand, units reserved for orders, and what is left to sell.
 * {@code 0 <= reserved <= onHand} always holds.
 */
@Schema(description = "Stock levels of a product; available = onHand - reserved")
public record StockLevels(
		@Schema(example = "MUG") String sku,
		@Schema(example = "100") long onHand,
		@Schema(example = "8") long reserved,
		@Schema(example = "92") long available) {

	static StockLevels of(String sku, long onHand, long reserved) {
		return new StockLevels(sku, onHand, reserved, onHand - reserved);
	}
}
