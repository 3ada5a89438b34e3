package io.orderly.inventory;

import io.orderly.platform.messaging.MessageType;

/**
 * Reply: nothing was reserved. {@code reason} is {@code out_of_stock} or {@code unknown_sku}.
 */
@MessageType("orderly.inventory.StockReservationFailed.v1")
public record StockReservationFailed(String orderId, String reason) {

	public static final String OUT_OF_STOCK = "out_of_stock";

	public static final String UNKNOWN_SKU = "unknown_sku";
}
