package io.orderly.psp.internal;

import java.util.Arrays;
import java.util.Optional;

/**
 * The test cards the simulator knows. {@code tok_ok} authorizes (and then captures);
 * the others are declined with a code that no retry changes.
 */
enum CardToken {

	OK("tok_ok", null),
	DECLINED("tok_declined", "card_declined"),
	INSUFFICIENT_FUNDS("tok_insufficient_funds", "insufficient_funds");

	private final String value;

	private final String declineCode;

	CardToken(String value, String declineCode) {
		this.value = value;
		this.declineCode = declineCode;
	}

	String value() {
		return value;
	}

	/** Why the card is declined, or null when it is not. */
	String declineCode() {
		return declineCode;
	}

	static Optional<CardToken> of(String value) {
		return Arrays.stream(values()).filter(t -> t.value.equals(value)).findFirst();
	}
}
