package io.orderly.order;

import io.orderly.platform.messaging.MessageType;

/**
 * Event: the order will not be fulfilled and every step it took was undone. {@code reason}
 * is what the customer reads ({@code out_of_stock}, {@code payment_declined}, ...).
 */
@MessageType("orderly.order.OrderCancelled.v1")
public record OrderCancelled(String orderId, String customerId, String reason) {
}
