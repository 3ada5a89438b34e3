package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/** Reply to {@link RefundPayment}: the provider gave {@code amountMinor} back to the customer. */
@MessageType("orderly.payment.RefundIssued.v1")
public record RefundIssued(String orderId, String refundId, long amountMinor, String currency) {
}
