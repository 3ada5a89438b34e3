package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/**
 * Reply and event: no money is held. {@code reason} is what the customer reads:
 * {@code payment_declined}, {@code insufficient_funds} or {@code payment_unavailable}.
 */
@MessageType("orderly.payment.PaymentDeclined.v1")
public record PaymentDeclined(String orderId, String reason) {

	public static final String DECLINED = "payment_declined";

	public static final String INSUFFICIENT_FUNDS = "insufficient_funds";

	public static final String UNAVAILABLE = "payment_unavailable";
}
