package io.orderly.order;

import java.time.Instant;
import java.util.List;

import io.orderly.shipping.ShippingAddress;

/**
 * An order as the API shows it. {@code progress} is the checkout saga's step (or
 * {@code compensating:<step>}, {@code needs_attention}), for people who want more than the status.
 * {@code cancellationRejectedReason}: a cancellation accepted with 202 that could not be done
 * ({@code already_dispatched}: the shipment left first); the order goes ahead (CONFIRMED, or
 * PENDING until its checkout completes). After checkout: {@code dispatchedAt} and
 * {@code deliveredAt} once the shipment left and arrived, {@code refundedMinor} what went back to
 * the customer in all (named refunds, and a cancelled order's full refund), the order's
 * {@code returns} and named {@code refunds}.
 */
public record OrderView(String id, String customerId, OrderStatus status, List<OrderLine> items, long totalMinor,
		String currency, String cancellationReason, String cancellationRejectedReason, ShippingAddress shippingAddress,
		String progress, Instant dispatchedAt, Instant deliveredAt, long refundedMinor, List<OrderReturn> returns,
		List<OrderRefund> refunds, Instant createdAt, Instant updatedAt) {

	public OrderView {
		returns = returns == null ? List.of() : List.copyOf(returns);
		refunds = refunds == null ? List.of() : List.copyOf(refunds);
	}
}
