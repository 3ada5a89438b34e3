package io.orderly.notification.internal;

import java.time.Instant;
import java.util.List;

/**
 * A notification as the API shows it: to whom, from which template, how urgent, and per
 * channel its delivery with every status it went through.
 *
 * @param priority {@code critical}, {@code transactional} or {@code marketing}
 */
public record NotificationView(String id, String recipient, String template, int templateVersion, String locale,
		String priority, String orderId, Instant createdAt, List<Delivery> deliveries) {

	/**
	 * @param channel  {@code email}, {@code sms}, {@code push} or {@code in_app}
	 * @param status   QUEUED, HELD (quiet hours), SUPPRESSED (opted out or no longer relevant), SENT,
	 *                 DELIVERED, BOUNCED or FAILED
	 * @param provider who sent it (or last tried to)
	 * @param attempts provider calls made for it
	 */
	public record Delivery(String id, String channel, String status, String provider, String subject, String body,
			int attempts, List<Entry> history) {
	}

	/** One status a delivery went through, when, by which provider, and what was said. */
	public record Entry(String status, Instant at, String provider, String detail) {
	}
}
