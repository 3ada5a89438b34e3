package io.orderly.inventory;

import io.orderly.platform.messaging.MessageType;

/**
 * Command (compensation): give the order's units back, whether reserved or already committed
 * (a sale that is cancelled). Answered by {@link StockReleased}, also when there was nothing
 * to release. Idempotent.
 */
@MessageType("orderly.inventory.ReleaseStock.v1")
public record ReleaseStock(String orderId) {
}
