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

	/** A delivery ready to go: where, and what. {@code html} only for e-mail. */
	record Outgoing(UUID deliveryId, String recipient, String address, String subject, String body, String html) {
	}

	/** What the provider said. */
	sealed interface Outcome permits Sent, Rejected, Failed {

		String provider();
	}

	/** Accepted; {@code messageId} is the provider's name for it, which its receipts use. */
	record Sent(String provider, String messageId) implements Outcome {
	}

	/** Refused for good (a bad address): recorded at once, never retried. */
	record Rejected(String provider, String reason) implements Outcome {
	}

	/** Failed for now (unreachable, overloaded, no answer): retried with backoff. */
	record Failed(String provider, String reason) implements Outcome {
	}
}
