package io.orderly.shipping;

import io.orderly.platform.messaging.MessageType;

/** Reply: the shipment could not be cancelled (yet); the saga retries, then asks an operator. */
@MessageType("orderly.shipping.ShipmentCancellationFailed.v1")
public record ShipmentCancellationFailed(String orderId, String reason) {
}
