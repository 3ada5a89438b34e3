package io.orderly.shipping;

import io.orderly.platform.messaging.MessageType;

/** Event: the shipment left the warehouse; the order can no longer be cancelled. */
@MessageType("orderly.shipping.ShipmentDispatched.v1")
public record ShipmentDispatched(String orderId, String shipmentId) {
}
