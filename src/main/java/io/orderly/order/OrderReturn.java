package io.orderly.order;

import java.time.Instant;
import java.util.List;

/**
 * A return of some of an order's units. {@code status}: REQUESTED (the customer sends them back),
 * RECEIVED (an operator counted what arrived, per line, and whether it goes back on sale);
 * {@code refundId} the refund for what arrived, if anything did.
 */
public record OrderReturn(String id, String status, String reason, List<Line> lines, String refundId,
		Instant createdAt, Instant receivedAt) {

	public OrderReturn {
		lines = List.copyOf(lines);
	}

	/** {@code receivedQuantity} and {@code restock}: null until received. */
	public record Line(String sku, int quantity, Integer receivedQuantity, Boolean restock) {
	}
}
