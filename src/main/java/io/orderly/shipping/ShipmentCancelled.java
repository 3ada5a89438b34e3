package io.orderly.shipping;

import io.orderly.platform.messaging.MessageType;

/** Reply and event: the order has no shipment any more. */
@MessageType("orderly.shipping.ShipmentCancelled.v1")
public record ShipmentCancelled(String orderId) {
}
