package io.orderly.inventory;

import io.orderly.platform.messaging.MessageType;

/** Reply: the reservation was gone (expired) and the units could not be held again. */
@MessageType("orderly.inventory.StockCommitFailed.v1")
public record StockCommitFailed(String orderId, String reason) {
}
