package io.orderly.notification;

import io.orderly.platform.messaging.MessageType;

/**
 * Event: the customer was notified about order {@code orderId}; {@code deliveryId} names the
 * delivery record, {@code channel} how it went out ({@code EMAIL}).
 */
@MessageType("orderly.notification.NotificationSent.v1")
public record NotificationSent(String orderId, String deliveryId, String channel) {
}
