package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/**
 * Reply to {@link RefundPayment}: nothing was given back. {@code reason}: {@value #EXCEEDS_CAPTURED}
 * (more than was captured and not yet refunded or being refunded), {@value #NOT_CAPTURED} (the
 * order's payment holds no capture), {@value #PAYMENT_BUSY} (the payment is being captured or
 * undone), or the provider's own refusal code.
 */
@MessageType("orderly.payment.RefundRefused.v1")
public record RefundRefused(String orderId, String refundId, String reason) {

	public static final String EXCEEDS_CAPTURED = "exceeds_captured";

	public static final String NOT_CAPTURED = "not_captured";

	public static final String PAYMENT_BUSY = "payment_busy";
}
