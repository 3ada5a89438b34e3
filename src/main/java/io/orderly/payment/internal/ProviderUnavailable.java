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
		CONNECTION_REFUSED(true, true),
		/** No answer within the read timeout. */
		TIMEOUT(false, false),
		/** The connection closed before an answer came (a lost response). */
		NO_RESPONSE(false, false),
		/** A 5xx answer. */
		SERVER_ERROR(false, false),
		/**
		 * The key's first request is still running (409 {@code idempotency_key_in_use}): another
		 * attempt of the same call is being answered.
		 */
		KEY_IN_USE(false, false),
		/** Not called: the circuit breaker is open (it judged the provider away). */
		CIRCUIT_OPEN(true, true),
		/** Not called: too many calls to the provider were in flight here (says nothing of the provider). */
		BULKHEAD_FULL(true, false);

		private final boolean nothingDone;

		private final boolean providerAway;

		Failure(boolean nothingDone, boolean providerAway) {
			this.nothingDone = nothingDone;
			this.providerAway = providerAway;
		}

		/** Whether the request certainly had no effect. */
		public boolean nothingDone() {
			return nothingDone;
		}

		/** Whether the provider could not be reached at all (as opposed to our own bound, or an answer we could not use). */
		public boolean providerAway() {
			return providerAway;
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
