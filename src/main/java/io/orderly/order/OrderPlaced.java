package io.orderly.order;

import java.util.List;

import io.orderly.platform.messaging.MessageType;

/** Event: an order was accepted (202) and its checkout saga started. */
@MessageType("orderly.order.OrderPlaced.v1")
public record OrderPlaced(String orderId, String customerId, List<Line> lines, long totalMinor, String currency) {

	public OrderPlaced {
		lines = List.copyOf(lines);
	}

	/** {@code quantity} units of {@code sku} at {@code unitPriceMinor} each. */
	public record Line(String sku, int quantity, long unitPriceMinor) {
	}
}
