package io.orderly.psp.internal;

/** An operation that the authorization's current state does not allow. */
class IllegalTransition extends RuntimeException {

	private final Authorization authorization;

	private final String operation;

	IllegalTransition(Authorization authorization, String operation, AuthorizationStatus to) {
		super("Cannot " + operation + " authorization " + authorization.id() + ": it is " + authorization.status()
				+ (to == null ? "" : ", and " + authorization.status() + " cannot become " + to) + ".");
		this.authorization = authorization;
		this.operation = operation;
	}

	Authorization authorization() {
		return authorization;
	}

	String operation() {
		return operation;
	}
}
