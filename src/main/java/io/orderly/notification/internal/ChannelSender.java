package io.orderly.notification.internal;

import java.util.UUID;

/**
 * A provider of one channel. {@link #send} is called with no database transaction open, and may
 * be called again for the same delivery (a lost answer, a worker that died): {@code deliveryId}
 * is the idempotency key, the same on every attempt.
 */
interface ChannelSender {

	Channel channel();

	Outcome send(Outgoing message);

	/**
	 * Whether sending is a write to this platform's own database (the feed), not a call across a
	 * network: then it happens in the transaction that records the outcome.
	 */
	default boolean local() {
		return false;
	}

	/**
	 * A delivery ready to go: where, and what. {@code html} only for e-mail. {@code pinnedProvider}:
	 * the provider an earlier attempt may have reached (no answer came); only it may be asked again.
	 */
	record Outgoing(UUID deliveryId, String recipient, String address, String subject, String body, String html,
			String pinnedProvider) {
	}

	/** What the provider said. */
	sealed interface Outcome permits Sent, Rejected, Failed, Deferred {

		String provider();
	}

	/** Accepted; {@code messageId} is the provider's name for it, which its receipts use. */
	record Sent(String provider, String messageId) implements Outcome {
	}

	/** Refused for good (a bad address): recorded at once, never retried. */
	record Rejected(String provider, String reason) implements Outcome {
	}

	/**
	 * Not tried now, and no attempt spent: the delivery waits, so a long outage loses nothing.
	 * {@code down}: the channel's providers are taken for down (breakers open, probes finding them
	 * still away); otherwise our own bounds turned it away for now (bulkhead, rate limit, stopping).
	 */
	record Deferred(String provider, String reason, boolean down) implements Outcome {
	}

	/**
	 * Failed for now: retried with backoff. {@code maybeSent}: no answer came after the request
	 * left, so the provider may have it; the delivery is then pinned to it.
	 */
	record Failed(String provider, String reason, boolean maybeSent) implements Outcome {

		Failed(String provider, String reason) {
			this(provider, reason, false);
		}
	}
}
