package io.orderly.shipping.internal;

/**
 * Where a shipment is. {@code CREATED} becomes {@code CANCELLED} (CancelShipment) or
 * {@code DISPATCHED} (an operator dispatches it); both are final. The transitions are the
 * conditional updates in {@link Shipments}, so that concurrent commands and dispatches
 * serialize on the shipment's row.
 */
public enum ShipmentState {

	CREATED, CANCELLED, DISPATCHED
}
