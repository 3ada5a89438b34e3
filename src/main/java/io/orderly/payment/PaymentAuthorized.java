package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/** Reply and event: the provider holds {@code amountMinor} for the order. */
@MessageType("orderly.payment.PaymentAuthorized.v1")
public record PaymentAuthorized(String orderId, String paymentId, long amountMinor, String currency) {
}
