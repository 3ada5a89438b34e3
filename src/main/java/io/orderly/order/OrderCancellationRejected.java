package io.orderly.order;

import io.orderly.platform.messaging.MessageType;

/**
 * Event: a cancellation the customer asked for (and was answered 202) could not be done, because
 * the order passed its point of no return first ({@code already_dispatched}: the shipment left).
 * The order stays as it was, confirmed; the customer is told.
 */
@MessageType("orderly.order.OrderCancellationRejected.v1")
public record OrderCancellationRejected(String orderId, String customerId, String reason) {
}
