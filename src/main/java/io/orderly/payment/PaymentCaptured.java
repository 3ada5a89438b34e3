package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/** Reply and event: the customer was charged {@code amountMinor}. */
@MessageType("orderly.payment.PaymentCaptured.v1")
public record PaymentCaptured(String orderId, String paymentId, long amountMinor, String currency) {
}
