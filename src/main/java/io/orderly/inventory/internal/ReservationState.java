package io.orderly.inventory.internal;

/**
 * Where an order's reservation stands. A new reservation is {@code RESERVED} (units held) or
 * {@code FAILED} (nothing held; remembered so a repeated command answers the same);
 * {@code COMMITTED} units are sold; {@code EXPIRED} units went back to stock by themselves;
 * {@code RELEASED} units were given back by the order. RELEASED and FAILED are final.
 */
enum ReservationState {

	RESERVED, COMMITTED, RELEASED, EXPIRED, FAILED;

	boolean canMoveTo(ReservationState next) {
		return switch (this) {
			case RESERVED -> next == COMMITTED || next == RELEASED || next == EXPIRED;
			case EXPIRED -> next == COMMITTED || next == RELEASED;
			case COMMITTED -> next == RELEASED;
			case RELEASED, FAILED -> false;
		};
	}

	/** {@code next}, if this state may move there; otherwise an exception naming both. */
	ReservationState moveTo(ReservationState next) {
		if (!canMoveTo(next)) {
			throw new IllegalStateException("A reservation cannot move from " + this + " to " + next);
		}
		return next;
	}
}
