package io.orderly.inventory;

import io.orderly.platform.messaging.MessageType;

/**
 * Reply: the order's units were not sold. {@code reason} is {@link #OUT_OF_STOCK} when the
 * reservation had expired and its units could not be taken again, {@link #NOT_RESERVED} when
 * the order holds no reservation to commit (it never reserved, its reservation failed, or it
 * released its units).
 */
@MessageType("orderly.inventory.StockCommitFailed.v1")
public record StockCommitFailed(String orderId, String reason) {

	public static final String OUT_OF_STOCK = "out_of_stock";

	public static final String NOT_RESERVED = "not_reserved";
}
