package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/** Reply: the capture was refused for good (the authorization is gone); nothing was charged. */
@MessageType("orderly.payment.PaymentCaptureFailed.v1")
public record PaymentCaptureFailed(String orderId, String reason) {
}
