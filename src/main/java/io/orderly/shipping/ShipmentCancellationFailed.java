package io.orderly.shipping;

import io.orderly.platform.messaging.MessageType;

/**
 * Reply: the shipment could not be cancelled: for good when {@code reason} is
 * {@link #ALREADY_DISPATCHED} (it left; the cancellation is refused), otherwise for now (the
 * carrier could not be reached; the saga retries, then asks an operator).
 */
@MessageType("orderly.shipping.ShipmentCancellationFailed.v1")
public record ShipmentCancellationFailed(String orderId, String reason) {

	/** The shipment has been dispatched: it can no longer be cancelled. */
	public static final String ALREADY_DISPATCHED = "already_dispatched";
}
