package io.orderly.order;

/**
 * An order's status as customers see it. PENDING while the checkout saga works (and blocks
 * conflicting actions); CONFIRMED once stock is sold, payment captured and the shipment
 * prepared; CANCELLED once every step taken was undone.
 */
public enum OrderStatus {
	PENDING, CONFIRMED, CANCELLED;

	/** Checks that an order may go from this status to {@code to}. */
	public OrderStatus transitionTo(OrderStatus to) {
		boolean allowed = switch (this) {
			case PENDING -> to == CONFIRMED || to == CANCELLED;
			case CONFIRMED -> to == CANCELLED;
			case CANCELLED -> false;
		};
		if (!allowed) {
			throw new IllegalStateTransition(this, to);
		}
		return to;
	}

	/** An order was asked to move between two statuses that are not connected. */
	public static final class IllegalStateTransition extends IllegalStateException {

		public IllegalStateTransition(OrderStatus from, OrderStatus to) {
			super("An order cannot go from " + from + " to " + to);
		}
	}
}
