package io.orderly.order;

import java.time.Instant;
import java.util.List;

import io.orderly.shipping.ShippingAddress;

/**
 * An order as the API shows it. {@code progress} is the checkout saga's step (or
 * {@code compensating:<step>}, {@code needs_attention}), for people who want more than the status.
 * {@code cancellationRejectedReason}: a cancellation accepted with 202 that could not be done
 * ({@code already_dispatched}: the shipment left first); the order goes ahead (CONFIRMED, or
 * PENDING until its checkout completes).
 */
public record OrderView(String id, String customerId, OrderStatus status, List<OrderLine> items, long totalMinor,
		String currency, String cancellationReason, String cancellationRejectedReason, ShippingAddress shippingAddress,
		String progress, Instant dispatchedAt, Instant createdAt, Instant updatedAt) {
}
