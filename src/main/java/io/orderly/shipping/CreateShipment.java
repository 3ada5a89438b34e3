package io.orderly.shipping;

import java.util.List;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: prepare a shipment of the order's items to {@code address}. Answered by
 * {@link ShipmentCreated} or {@link ShipmentCreationFailed}. Idempotent per order.
 */
@MessageType("orderly.shipping.CreateShipment.v1")
public record CreateShipment(String orderId, ShippingAddress address, List<Item> items) {

	public CreateShipment {
		items = List.copyOf(items);
	}

	/** {@code quantity} units of {@code sku}. */
	public record Item(String sku, int quantity) {
	}
}
