package io.orderly.shipping;

import io.orderly.platform.messaging.MessageType;

/**
 * Command (compensation): cancel the order's shipment. Answered by {@link ShipmentCancelled}
 * (also when there was none) or {@link ShipmentCancellationFailed} (dispatched already, or
 * the carrier refused for now). Idempotent.
 */
@MessageType("orderly.shipping.CancelShipment.v1")
public record CancelShipment(String orderId) {
}
