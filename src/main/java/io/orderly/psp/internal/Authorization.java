package io.orderly.psp.internal;

import java.time.Instant;
import java.util.Objects;

import io.orderly.platform.Ids;

/**
 * A card authorization and what became of it: the simulator's aggregate. The amounts hold
 * {@code 0 <= refunded <= captured <= amount} in every state; transitions check the state and
 * the amounts and refuse anything else, so nothing is ever captured twice or refunded beyond
 * what was taken.
 */
record Authorization(String id, String reference, long amountMinor, String currency, String token,
		AuthorizationStatus status, String declineCode, long capturedMinor, long refundedMinor, Instant createdAt,
		Instant updatedAt) {

	Authorization {
		Objects.requireNonNull(id);
		Objects.requireNonNull(reference);
		Objects.requireNonNull(currency);
		Objects.requireNonNull(status);
		if (amountMinor <= 0 || capturedMinor < 0 || capturedMinor > amountMinor || refundedMinor < 0
				|| refundedMinor > capturedMinor) {
			throw new IllegalArgumentException("Inconsistent amounts on authorization " + id);
		}
		if ((status == AuthorizationStatus.DECLINED) != (declineCode != null)) {
			throw new IllegalArgumentException("A decline code goes with DECLINED and only with it");
		}
	}

	/** Authorizes {@code amountMinor} on the card behind {@code token}, or records its decline. */
	static Authorization attempt(String reference, long amountMinor, String currency, CardToken token, Instant now) {
		AuthorizationStatus status = token.declineCode() == null ? AuthorizationStatus.AUTHORIZED
				: AuthorizationStatus.DECLINED;
		return new Authorization("auth_" + Ids.nextString(), reference, amountMinor, currency, token.value(), status,
				token.declineCode(), 0, 0, now, now);
	}

	/** Takes {@code amountMinor} (at most the authorized amount) of the held funds, once. */
	Authorization capture(long amountMinor, Instant now) {
		if (status != AuthorizationStatus.AUTHORIZED) {
			throw new IllegalTransition(this, "capture", AuthorizationStatus.CAPTURED);
		}
		if (amountMinor <= 0 || amountMinor > this.amountMinor) {
			throw new AmountTooLarge(this, "capture", amountMinor, this.amountMinor);
		}
		return new Authorization(id, reference, this.amountMinor, currency, token, AuthorizationStatus.CAPTURED, null,
				amountMinor, 0, createdAt, now);
	}

	/** Releases the held funds without taking any. */
	Authorization voided(Instant now) {
		if (status != AuthorizationStatus.AUTHORIZED) {
			throw new IllegalTransition(this, "void", AuthorizationStatus.VOIDED);
		}
		return new Authorization(id, reference, amountMinor, currency, token, AuthorizationStatus.VOIDED, null, 0, 0,
				createdAt, now);
	}

	/** Gives back {@code amountMinor} of what was captured and not yet refunded. */
	Authorization refund(long amountMinor, Instant now) {
		if (status != AuthorizationStatus.CAPTURED) {
			throw new IllegalTransition(this, "refund", null);
		}
		if (amountMinor <= 0 || amountMinor > refundableMinor()) {
			throw new AmountTooLarge(this, "refund", amountMinor, refundableMinor());
		}
		return new Authorization(id, reference, this.amountMinor, currency, token, status, null, capturedMinor,
				refundedMinor + amountMinor, createdAt, now);
	}

	long refundableMinor() {
		return capturedMinor - refundedMinor;
	}

	boolean voided() {
		return status == AuthorizationStatus.VOIDED;
	}
}
