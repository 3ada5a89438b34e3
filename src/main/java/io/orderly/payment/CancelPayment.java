package io.orderly.payment;

import io.orderly.platform.messaging.MessageType;

/**
 * Command (compensation): undo the order's payment, whatever state it reached: void an
 * authorization, refund a capture, and also void an authorization that completes after this
 * command (a late reply). Answered by {@link PaymentVoided} (also when there was nothing to
 * undo) or {@link PaymentRefunded}; {@link PaymentCancellationFailed} when the provider
 * refused for now (the saga retries). Idempotent.
 */
@MessageType("orderly.payment.CancelPayment.v1")
public record CancelPayment(String orderId) {
}
