package io.orderly.inventory;

import java.time.Instant;

import io.orderly.platform.messaging.MessageType;

/** Reply: the order's units are held until {@code expiresAt}, unless committed or released first. */
@MessageType("orderly.inventory.StockReserved.v1")
public record StockReserved(String orderId, Instant expiresAt) {
}
