package io.orderly.payment;

/**
 * Where an order's payment stands, as the provider (PSP) reported it to us.
 *
 * <ul>
 * <li>{@code AUTHORIZED}: the provider holds the amount on the customer's card.</li>
 * <li>{@code DECLINED}: nothing is held; the card was declined, or the provider could not be
 * reached and was later found to hold nothing.</li>
 * <li>{@code AUTHORIZATION_UNKNOWN}: the provider could not be reached and its lookup by
 * reference did not answer either; the saga was told {@code payment_unavailable}, and the
 * payment is watched: whatever the provider turns out to hold is voided.</li>
 * <li>{@code AUTHORIZATION_PENDING}: the authorization is being asked of the provider; when
 * the provider cannot be reached (an outage, or the circuit breaker open) it is asked again,
 * with the same key, until the provider answers or the longest wait has passed (then it is
 * {@code AUTHORIZATION_UNKNOWN} and the saga is told {@code payment_unavailable}). The order
 * waits meanwhile.</li>
 * <li>{@code CAPTURED}: the customer was charged.</li>
 * <li>{@code VOIDED}: a hold was released.</li>
 * <li>{@code REFUNDED}: a charge was given back in full.</li>
 * <li>{@code CANCELLED}: cancelled before anything was authorized; no authorization follows.</li>
 * </ul>
 */
public enum PaymentStatus {
	AUTHORIZED, DECLINED, AUTHORIZATION_UNKNOWN, AUTHORIZATION_PENDING, CAPTURED, VOIDED, REFUNDED, CANCELLED;

	/**
	 * Checks that a payment may go from this status to {@code to}. The provider's state may be
	 * learned late (after a lost answer), so a payment may skip steps, as from
	 * {@code AUTHORIZATION_UNKNOWN} straight to {@code VOIDED}; it never goes back.
	 */
	public PaymentStatus transitionTo(PaymentStatus to) {
		boolean allowed = switch (this) {
			case AUTHORIZATION_PENDING -> to == AUTHORIZED || to == DECLINED || to == AUTHORIZATION_UNKNOWN
					|| to == CANCELLED;
			case AUTHORIZATION_UNKNOWN, CANCELLED -> to == AUTHORIZED || to == DECLINED || to == CAPTURED
					|| to == VOIDED || to == REFUNDED;
			case AUTHORIZED -> to == CAPTURED || to == VOIDED || to == REFUNDED;
			case CAPTURED -> to == REFUNDED;
			case DECLINED, VOIDED, REFUNDED -> false;
		};
		if (!allowed) {
			throw new IllegalStateTransition(this, to);
		}
		return to;
	}

	/** Whether money may be held at the provider for a payment in this status. */
	public boolean holdsMoney() {
		return this == AUTHORIZED || this == CAPTURED;
	}

	/** A payment was asked to move between two statuses that are not connected. */
	public static final class IllegalStateTransition extends IllegalStateException {

		public IllegalStateTransition(PaymentStatus from, PaymentStatus to) {
			super("A payment cannot go from " + from + " to " + to);
		}
	}
}
