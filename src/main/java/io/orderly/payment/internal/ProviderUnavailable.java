package io.orderly.payment.internal;

import java.time.Duration;
import java.util.Optional;

/**
 * No usable answer from the provider: the outcome of the call is unknown (unless
 * {@link Failure#nothingDone()}), and repeating it with the same idempotency key is safe.
 *
 * @see PaymentProvider
 */
public class ProviderUnavailable extends RuntimeException {

	/** How the call failed; the name, lower case, is the {@code outcome} tag of the call metrics. */
	public enum Failure {
		/** The connection was refused or could not be opened in time: the request never arrived. */
		CONNECTION_REFUSED(true),
		/** No answer within the read timeout. */
		TIMEOUT(false),
		/** The connection closed before an answer came (a lost response). */
		NO_RESPONSE(false),
		/** A 5xx answer. */
		SERVER_ERROR(false),
		/** The key's first request is still running (409 {@code idempotency_key_in_use}). */
		KEY_IN_USE(false),
		/** Not called: the circuit breaker is open. */
		CIRCUIT_OPEN(true),
		/** Not called: too many calls to the provider were in flight. */
		BULKHEAD_FULL(true);

		private final boolean nothingDone;

		Failure(boolean nothingDone) {
			this.nothingDone = nothingDone;
		}

		/** Whether the request certainly had no effect. */
		public boolean nothingDone() {
			return nothingDone;
		}
	}

	private final String operation;

	private final Failure failure;

	private final Duration retryAfter;

	public ProviderUnavailable(String operation, Failure failure, String detail, Duration retryAfter, Throwable cause) {
		super(operation + " failed: " + failure + (detail == null ? "" : " (" + detail + ")"), cause);
		this.operation = operation;
		this.failure = failure;
		this.retryAfter = retryAfter;
	}

	public String operation() {
		return operation;
	}

	public Failure failure() {
		return failure;
	}

	/** How long the provider asked us to wait before trying again, if it said. */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(retryAfter);
	}
}
