package io.orderly.notification;

import io.orderly.platform.messaging.MessageType;

/**
 * Event: the customer could not be notified about order {@code orderId}; the provider refused
 * for good ({@code reason}, such as {@code no_recipient}). Transient failures are retried
 * and do not produce this event.
 */
@MessageType("orderly.notification.NotificationFailed.v1")
public record NotificationFailed(String orderId, String reason) {
}
