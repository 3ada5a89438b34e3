package io.orderly.shipping;

import io.orderly.platform.messaging.MessageType;

/** Reply: no shipment could be made (for example an address the carrier refuses). */
@MessageType("orderly.shipping.ShipmentCreationFailed.v1")
public record ShipmentCreationFailed(String orderId, String reason) {
}
