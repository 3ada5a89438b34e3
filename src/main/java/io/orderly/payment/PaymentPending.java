package io.orderly.payment;

import java.time.Instant;

import io.orderly.platform.messaging.MessageType;

/**
 * Event: the provider cannot be reached, so the order's authorization waits and is asked
 * again until {@code until}; the answer ({@link PaymentAuthorized} or {@link PaymentDeclined},
 * with {@code payment_unavailable} once {@code until} has passed) follows.
 */
@MessageType("orderly.payment.PaymentPending.v1")
public record PaymentPending(String orderId, Instant until) {
}
