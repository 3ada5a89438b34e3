package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/** Reply and event: no money is held for the order; {@code paymentId} is null if none ever was. */
@MessageType("orderly.payment.PaymentVoided.v1")
public record PaymentVoided(String orderId, String paymentId) {
}
