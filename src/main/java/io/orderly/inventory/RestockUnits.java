package io.orderly.inventory;

import java.util.List;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: units of an order are fit to sell again (a return came back); they go back on hand, an adjustment each, its reason naming the order and
 * {@code reference} (the return, or the removed line). Applied once per message; no reply.
 */
@MessageType("orderly.inventory.RestockUnits.v1")
public record RestockUnits(String orderId, String reference, List<Line> lines) {

	public RestockUnits {
		lines = List.copyOf(lines);
	}

	public record Line(String sku, int quantity) {
	}
}
