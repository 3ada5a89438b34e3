package io.orderly.inventory;

import java.util.List;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: units of a return came back fit to sell; they go back on hand (an adjustment each,
 * its reason naming the order and the return). Applied once per message; no reply.
 */
@MessageType("orderly.inventory.RestockReturned.v1")
public record RestockReturned(String orderId, String returnId, List<Line> lines) {

	public RestockReturned {
		lines = List.copyOf(lines);
	}

	public record Line(String sku, int quantity) {
	}
}
