package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: authorize {@code amountMinor} of {@code currency} on {@code paymentToken} for the
 * order. Answered by {@link PaymentAuthorized} or {@link PaymentDeclined}. The provider call
 * carries an idempotency key derived from the order, so no retry or redelivery charges twice.
 */
@MessageType("orderly.payment.AuthorizePayment.v1")
public record AuthorizePayment(String orderId, String customerId, long amountMinor, String currency,
		String paymentToken) {

	public AuthorizePayment {
		if (orderId == null || orderId.isBlank() || amountMinor < 0 || currency == null || paymentToken == null) {
			throw new IllegalArgumentException("AuthorizePayment needs order, amount >= 0, currency and token");
		}
	}
}
