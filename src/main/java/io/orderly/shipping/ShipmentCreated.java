package io.orderly.shipping;

import io.orderly.platform.messaging.MessageType;

/** Reply and event: a shipment waits to be dispatched. */
@MessageType("orderly.shipping.ShipmentCreated.v1")
public record ShipmentCreated(String orderId, String shipmentId) {
}
