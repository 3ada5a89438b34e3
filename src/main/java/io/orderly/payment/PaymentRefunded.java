package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/** Reply and event: {@code amountMinor} captured for the order went back to the customer. */
@MessageType("orderly.payment.PaymentRefunded.v1")
public record PaymentRefunded(String orderId, String paymentId, long amountMinor, String currency) {
}
