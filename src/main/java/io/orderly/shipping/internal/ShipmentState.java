package io.orderly.shipping.internal;

/**
 * Where a shipment is. {@code CREATED} becomes {@code CANCELLED} (CancelShipment) or
 * {@code DISPATCHED} (an operator dispatches it); a dispatched one becomes {@code DELIVERED}
 * when the carrier reports it. The transitions are the conditional updates in
 * {@link Shipments}, so that concurrent commands and dispatches serialize on the shipment's row.
 */
public enum ShipmentState {

	CREATED, CANCELLED, DISPATCHED, DELIVERED;

	/** Whether the parcel has left: it cannot be cancelled or changed any more. */
	public boolean left() {
		return this == DISPATCHED || this == DELIVERED;
	}
}
