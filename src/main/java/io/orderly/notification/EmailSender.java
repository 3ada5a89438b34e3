package io.orderly.notification;

/**
 * The port to an email provider. The default implementation only logs; a deployment (or a
 * test) replaces it with a bean of its own marked {@code @Primary}.
 *
 * <p>It is called inside the notification subscription's transaction, before the delivery
 * commits: keep it short (a real adapter needs a timeout), since the subscription's other
 * messages wait behind it. Outcomes:
 * <ul>
 * <li>{@link Accepted}: the delivery is recorded {@code SENT}, {@link NotificationSent} published;</li>
 * <li>{@link Rejected}: a permanent refusal; recorded {@code FAILED}, {@link NotificationFailed} published;</li>
 * <li>an exception: a transient failure; the transaction rolls back and the kernel retries
 * with backoff, then dead-letters the event.</li>
 * </ul>
 * A retry after a failure past the provider call may send again (at least once): the
 * {@link Email#idempotencyKey()} is the same on every attempt, for providers that deduplicate.
 */
public interface EmailSender {

	Result send(Email email);

	/**
	 * An email to a customer. The recipient is the customer id: resolving it to an address is
	 * the provider adapter's business.
	 *
	 * @param idempotencyKey the same for every attempt of one notification
	 */
	record Email(String idempotencyKey, String customerId, String subject, String body) {
	}

	/** What the provider said. */
	sealed interface Result permits Accepted, Rejected {
	}

	/** Accepted for delivery. */
	record Accepted() implements Result {
	}

	/** Refused for good, {@code reason} as a short code such as {@code invalid_recipient}. */
	record Rejected(String reason) implements Result {

		public Rejected {
			if (reason == null || reason.isBlank()) {
				throw new IllegalArgumentException("A rejection needs a reason");
			}
		}
	}
}
