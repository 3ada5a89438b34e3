package io.orderly.psp.internal;

/** Amounts in requests: whole minor units, positive, below a sanity ceiling. */
final class PspAmounts {

	private PspAmounts() {
	}

	static Long check(String field, Long amountMinor, boolean required) {
		if (amountMinor == null) {
			if (required) {
				throw new IllegalArgumentException(field + " is required");
			}
			return null;
		}
		if (amountMinor < 1 || amountMinor > AuthorizeRequest.MAX_AMOUNT_MINOR) {
			throw new IllegalArgumentException(field + " must be 1.." + AuthorizeRequest.MAX_AMOUNT_MINOR);
		}
		return amountMinor;
	}
}
