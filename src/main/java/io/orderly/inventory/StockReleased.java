package io.orderly.inventory;

import io.orderly.platform.messaging.MessageType;

/** Reply and event: the order holds no stock any more. */
@MessageType("orderly.inventory.StockReleased.v1")
public record StockReleased(String orderId) {
}
