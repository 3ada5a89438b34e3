package io.orderly.inventory;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: the order's reservation becomes a sale (on-hand decreases, reserved decreases).
 * Answered by {@link StockCommitted}, or {@link StockCommitFailed} when the reservation had
 * expired and its units could not be taken again. Idempotent.
 */
@MessageType("orderly.inventory.CommitStock.v1")
public record CommitStock(String orderId) {
}
