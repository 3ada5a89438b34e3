package io.orderly.inventory;

import java.util.List;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: hold {@code lines} for order {@code orderId}, all lines or none (lines of the
 * same sku count together). Answered by {@link StockReserved} or {@link StockReservationFailed}.
 * Idempotent per order: a repeated command answers as the first did.
 */
@MessageType("orderly.inventory.ReserveStock.v1")
public record ReserveStock(String orderId, List<Line> lines) {

	public ReserveStock {
		if (orderId == null || orderId.isBlank() || lines == null || lines.isEmpty()) {
			throw new IllegalArgumentException("ReserveStock needs an order id and at least one line");
		}
		lines = List.copyOf(lines);
	}

	/** {@code quantity} units of {@code sku}. */
	public record Line(String sku, int quantity) {

		public Line {
			if (sku == null || sku.isBlank() || quantity < 1) {
				throw new IllegalArgumentException("A line needs a sku and a quantity of at least 1");
			}
		}
	}
}
