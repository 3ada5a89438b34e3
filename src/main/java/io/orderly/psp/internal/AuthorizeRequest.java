package io.orderly.psp.internal;

import java.util.Arrays;
import java.util.Currency;
import java.util.stream.Collectors;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Hold {@code amountMinor} on the card behind {@code token}.
 *
 * @param reference the client's reference for the payment (an order id); several
 *                  authorizations may share one
 */
@Schema(name = "PspAuthorizeRequest")
public record AuthorizeRequest(
		@Schema(example = "order-0190a1b2", maxLength = 200) String reference,
		@Schema(example = "2598", minimum = "1") @JsonDeserialize(using = WholeMinorUnits.class) Long amountMinor,
		@Schema(example = "EUR", pattern = "^[A-Z]{3}$") String currency,
		@Schema(example = "tok_ok", allowableValues = { "tok_ok", "tok_declined", "tok_insufficient_funds" }) String token) {

	static final long MAX_AMOUNT_MINOR = 100_000_000_000L;

	public AuthorizeRequest {
		if (reference == null || reference.isBlank() || reference.length() > 200
				|| reference.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("reference must be 1 to 200 printable characters");
		}
		amountMinor = PspAmounts.check("amountMinor", amountMinor, true);
		if (currency == null || !currency.matches("[A-Z]{3}") || !isoCurrency(currency)) {
			throw new IllegalArgumentException("currency must be an ISO 4217 code such as EUR");
		}
		if (token == null || CardToken.of(token).isEmpty()) {
			throw new IllegalArgumentException("token must be one of " + Arrays.stream(CardToken.values())
				.map(CardToken::value)
				.collect(Collectors.joining(", ")));
		}
	}

	CardToken card() {
		return CardToken.of(token).orElseThrow();
	}

	private static boolean isoCurrency(String code) {
		try {
			Currency.getInstance(code);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}
}
