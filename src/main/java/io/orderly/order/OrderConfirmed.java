package io.orderly.order;

import io.orderly.platform.messaging.MessageType;

/** Event: stock is sold, payment captured, shipment prepared. */
@MessageType("orderly.order.OrderConfirmed.v1")
public record OrderConfirmed(String orderId, String customerId, long totalMinor, String currency) {
}
