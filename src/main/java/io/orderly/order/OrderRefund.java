package io.orderly.order;

import java.time.Instant;

/**
 * A refund of part of an order's payment: a goodwill or partial refund an operator gave, or the
 * refund for a return's units received ({@code returnId}). {@code status}: REQUESTED (the
 * payment module is giving it back; it waits through a provider outage), REFUNDED, or REFUSED
 * with {@code refusedReason}.
 */
public record OrderRefund(String id, long amountMinor, String reason, String returnId, String status,
		String refusedReason, Instant createdAt, Instant updatedAt) {
}
