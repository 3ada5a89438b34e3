package io.orderly.order;

import io.orderly.platform.messaging.MessageType;

/** Event: {@code amountMinor} of the order's payment went back to the customer (a named refund). */
@MessageType("orderly.order.OrderRefunded.v1")
public record OrderRefunded(String orderId, String customerId, String refundId, long amountMinor, String currency,
		String reason) {
}
