package io.orderly.shipping;

import java.time.Instant;

import io.orderly.platform.messaging.MessageType;

/** Event: the carrier delivered the order's shipment at {@code deliveredAt}. Published once. */
@MessageType("orderly.shipping.ShipmentDelivered.v1")
public record ShipmentDelivered(String orderId, String shipmentId, Instant deliveredAt) {
}
