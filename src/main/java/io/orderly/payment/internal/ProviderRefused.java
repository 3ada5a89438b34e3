package io.orderly.payment.internal;

/**
 * The provider answered that it will not do what was asked (a 4xx): nothing was done, and
 * asking again with the same key gets the same answer.
 *
 * @see PaymentProvider
 */
public class ProviderRefused extends RuntimeException {

	/** The operation is not allowed in the authorization's state (already captured, voided...). */
	public static final String INVALID_STATE = "invalid_state";

	/** The same idempotency key was used before with other parameters. */
	public static final String IDEMPOTENCY_ERROR = "idempotency_error";

	private final String operation;

	private final int status;

	private final String code;

	public ProviderRefused(String operation, int status, String code, String detail) {
		super(operation + " refused by the provider: " + status + " " + code + (detail == null ? "" : " (" + detail + ")"));
		this.operation = operation;
		this.status = status;
		this.code = code;
	}

	public String operation() {
		return operation;
	}

	public int status() {
		return status;
	}

	/** The provider's machine-readable reason, such as {@code invalid_state}; {@code http_<status>} if none. */
	public String code() {
		return code;
	}
}
