package io.orderly.notification.internal;

import java.time.Clock;
import java.util.Locale;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.webhooks.WebhookSignature;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The providers' delivery receipts: a signed report that a message sent was delivered or
 * bounced. A receipt moves its delivery from SENT once; the same receipt again changes nothing.
 */
@Component
@ConditionalOnModule("notification")
public class DeliveryReceipts {

	private final NotificationStore store;

	private final NotificationProperties properties;

	private final Clock clock;

	DeliveryReceipts(NotificationStore store, NotificationProperties properties, Clock clock) {
		this.store = store;
		this.properties = properties;
		this.clock = clock;
	}

	/** What came of a receipt. */
	public enum Result {
		/** Recorded. */
		APPLIED,
		/** Seen before, or for a delivery past SENT: nothing to do. */
		ALREADY,
		/** No message of this provider by that id (yet): the provider may send it again. */
		UNKNOWN
	}

	public boolean verified(String signature, String body) {
		String secret = properties.receipts().secret();
		return secret != null && signature != null
				&& WebhookSignature.verify(secret, signature, body, clock.instant(), properties.receipts().tolerance());
	}

	/** @throws IllegalArgumentException for a status other than delivered or bounced */
	@Transactional
	public Result apply(String provider, String messageId, String status) {
		String to = switch (status.toLowerCase(Locale.ROOT)) {
			case "delivered" -> "DELIVERED";
			case "bounced" -> "BOUNCED";
			default -> throw new IllegalArgumentException("status must be delivered or bounced");
		};
		if (store.receipt(provider, messageId, to, "receipt from " + provider, clock.instant())) {
			return Result.APPLIED;
		}
		if (!store.knows(provider, messageId)) {
			return Result.UNKNOWN;
		}
		// Known now but not a moment ago: the worker's transaction recording the send committed
		// between the two statements (each reads what was committed when it began), so it is SENT
		// now. Only a receipt that still finds nothing to change was seen before.
		return store.receipt(provider, messageId, to, "receipt from " + provider, clock.instant()) ? Result.APPLIED
				: Result.ALREADY;
	}
}
