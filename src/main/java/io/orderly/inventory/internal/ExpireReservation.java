package io.orderly.inventory.internal;

import io.orderly.platform.messaging.MessageType;

/**
 * Internal command of the inventory to itself: return the order's reservation to stock if
 * it is still held and due. The expiry job sends it with the order as subject, so an expiry
 * takes its place among the order's other commands instead of racing them.
 */
@MessageType("orderly.inventory.ExpireReservation.v1")
public record ExpireReservation(String orderId) {

	public ExpireReservation {
		if (orderId == null || orderId.isBlank()) {
			throw new IllegalArgumentException("ExpireReservation needs an order id");
		}
	}
}
