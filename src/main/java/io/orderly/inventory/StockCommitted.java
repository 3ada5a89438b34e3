package io.orderly.inventory;

import io.orderly.platform.messaging.MessageType;

/** Reply and event: the order's units are sold. */
@MessageType("orderly.inventory.StockCommitted.v1")
public record StockCommitted(String orderId) {
}
