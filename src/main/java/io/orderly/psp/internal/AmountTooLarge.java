package io.orderly.psp.internal;

/** A capture or refund for more than the authorization has left to give. */
class AmountTooLarge extends RuntimeException {

	private final Authorization authorization;

	private final long availableMinor;

	AmountTooLarge(Authorization authorization, String operation, long requestedMinor, long availableMinor) {
		super("Cannot " + operation + " " + requestedMinor + " on authorization " + authorization.id() + ": at most "
				+ availableMinor + " is available.");
		this.authorization = authorization;
		this.availableMinor = availableMinor;
	}

	Authorization authorization() {
		return authorization;
	}

	long availableMinor() {
		return availableMinor;
	}
}
