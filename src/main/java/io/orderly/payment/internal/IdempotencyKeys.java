package io.orderly.payment.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The idempotency keys sent to the provider: one per order and operation, the same on every
 * retry, redelivery and restart, so the provider does each operation of an order at most once.
 * An order has one authorization, captured once, and voided or refunded (in full) once; each
 * refund asked for by name ({@link RefundCalls}) has a key of its own.
 */
final class IdempotencyKeys {

	/** What the provider accepts in a key is 1 to 255 visible ASCII characters; we keep a margin. */
	private static final Pattern PLAIN = Pattern.compile("[\\x21-\\x7E]{1,200}");

	private IdempotencyKeys() {
	}

	static String authorize(String orderId) {
		return key("authorize", orderId);
	}

	static String capture(String orderId) {
		return key("capture", orderId);
	}

	static String voidAuthorization(String orderId) {
		return key("void", orderId);
	}

	static String refund(String orderId) {
		return key("refund", orderId);
	}

	/** The key of one named refund (a goodwill or partial refund, a return's). */
	static String refundOf(String refundId) {
		return key("refund-of", refundId);
	}

	/** {@code operation:orderId}, or a digest of the order id where it is not fit for a header. */
	private static String key(String operation, String orderId) {
		if (PLAIN.matcher(orderId).matches()) {
			return operation + ":" + orderId;
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(orderId.getBytes(StandardCharsets.UTF_8));
			return operation + ":sha256:" + HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
