package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: give back {@code amountMinor} of what was captured for the order (a goodwill or
 * partial refund, or the refund for a return). {@code refundId} names it: the provider is asked
 * once with a key derived from it, however often the command arrives or the call is made
 * again. Answered by {@link RefundIssued} once the provider did it, or {@link RefundRefused};
 * never more in total than was captured for the order.
 */
@MessageType("orderly.payment.RefundPayment.v1")
public record RefundPayment(String orderId, String refundId, long amountMinor, String reason) {
}
