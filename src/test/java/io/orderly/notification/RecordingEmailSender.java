package io.orderly.notification;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in email provider: records every email it is given. It refuses customers whose id
 * starts with {@code bounce-} for good, and fails the first attempt for customers whose id
 * starts with {@code flaky-} as a provider outage would.
 */
class RecordingEmailSender implements EmailSender {

	static final String BOUNCED = "mailbox_unavailable";

	private final List<Email> attempts = new CopyOnWriteArrayList<>();

	private final ConcurrentHashMap<String, AtomicInteger> attemptsByKey = new ConcurrentHashMap<>();

	@Override
	public Result send(Email email) {
		attempts.add(email);
		int attempt = attemptsByKey.computeIfAbsent(email.idempotencyKey(), key -> new AtomicInteger()).incrementAndGet();
		if (email.customerId().startsWith("flaky-") && attempt == 1) {
			throw new IllegalStateException("provider unavailable");
		}
		if (email.customerId().startsWith("bounce-")) {
			return new Rejected(BOUNCED);
		}
		return new Accepted();
	}

	/** Every email handed over for the order, failed attempts included. */
	List<Email> attemptsFor(String orderId) {
		return attempts.stream().filter(email -> email.idempotencyKey().startsWith(orderId + "/")).toList();
	}
}
