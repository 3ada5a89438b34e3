package io.orderly.notification.internal;

import java.time.Instant;

/**
 * One notification to a customer on one channel, as stored.
 *
 * @param status        {@code SENT} or {@code FAILED}
 * @param failureReason why the provider refused, when {@code FAILED}
 */
public record Delivery(String id, String orderId, String customerId, String channel, String template, String subject,
		String body, String status, String failureReason, Instant createdAt) {
}
