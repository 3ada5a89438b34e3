package io.orderly.shipping.internal;

import java.time.Instant;
import java.util.List;

import io.orderly.shipping.CreateShipment;
import io.orderly.shipping.ShippingAddress;

/**
 * An order's shipment as stored; {@code labelAddress} is the address on the parcel's label, printed
 * when it was dispatched. A tombstone (the order's shipping was cancelled before a
 * shipment was created) has state {@code CANCELLED}, no shipment id, no address and no items.
 */
public record Shipment(String orderId, String shipmentId, ShipmentState state, ShippingAddress address,
		List<CreateShipment.Item> items, Instant createdAt, Instant updatedAt, Instant cancelledAt,
		Instant dispatchedAt, Instant deliveredAt, Instant addressChangedAt, ShippingAddress labelAddress) {

	public Shipment {
		items = items == null ? List.of() : List.copyOf(items);
	}
}
