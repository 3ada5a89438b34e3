package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: capture the order's authorization. Answered by {@link PaymentCaptured} or
 * {@link PaymentCaptureFailed}. Never captures more than the authorized amount, whatever the
 * retries.
 */
@MessageType("orderly.payment.CapturePayment.v1")
public record CapturePayment(String orderId) {
}
