package io.orderly.psp.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.orderly.platform.web.ProblemException;
import io.orderly.platform.web.Problems;
import io.orderly.psp.internal.PspResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The request headers of the simulator's payment API, and how its answers go out. */
final class PspHeaders {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String ACCOUNT = "Psp-Account";

	static final String REPLAYED = "Idempotent-Replayed";

	private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

	private static final Pattern VALID_ACCOUNT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	private PspHeaders() {
	}

	static String key(String key) {
		if (key == null) {
			throw invalid(IDEMPOTENCY_KEY, "is required");
		}
		if (!VALID_KEY.matcher(key).matches()) {
			throw invalid(IDEMPOTENCY_KEY, "must be 1 to 255 visible ASCII characters");
		}
		return key;
	}

	/** The client whose keys these are; one shared scope when the header is absent. */
	static String account(String account) {
		if (account == null) {
			return "default";
		}
		if (!VALID_ACCOUNT.matcher(account).matches()) {
			throw invalid(ACCOUNT, "must be 1 to 64 letters, digits, '_', '.' or '-'");
		}
		return account;
	}

	static ResponseEntity<byte[]> toEntity(PspResponse response) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(response.status()).contentType(response.contentType());
		if (response.location() != null) {
			builder.location(URI.create(response.location()));
		}
		if (response.replayed()) {
			builder.header(REPLAYED, "true");
		}
		if (response.retryLater()) {
			builder.header("Retry-After", "1");
		}
		return builder.body(response.body());
	}

	private static ProblemException invalid(String header, String message) {
		return new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
				"The " + header + " header is invalid.", Map.of("errors", List.of(new Problems.FieldError(header, message))));
	}
}
