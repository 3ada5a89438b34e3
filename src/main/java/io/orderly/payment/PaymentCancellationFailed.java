package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/** Reply: the payment could not be undone yet (provider error); the saga retries it. */
@MessageType("orderly.payment.PaymentCancellationFailed.v1")
public record PaymentCancellationFailed(String orderId, String reason) {
}
