package io.orderly.psp.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.orderly.platform.web.Problems;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Writes the payment API's answers as bytes: resources as JSON, refusals as RFC 9457 problems
 * carrying a machine-readable {@code code}.
 */
@Component("pspResponses")
@Conditional(PspEnabled.class)
class PspResponses {

	private final JsonMapper json;

	PspResponses(JsonMapper json) {
		this.json = json;
	}

	PspResponse created(Object body, String location) {
		return new PspResponse(HttpStatus.CREATED.value(), location, json.writeValueAsBytes(body), false, false);
	}

	PspResponse ok(Object body) {
		return new PspResponse(HttpStatus.OK.value(), null, json.writeValueAsBytes(body), false, false);
	}

	PspResponse notFound(String authorizationId) {
		return problem(HttpStatus.NOT_FOUND, "psp-not-found", "resource_missing", "No such authorization",
				"There is no authorization " + authorizationId + ".", Map.of("authorizationId", authorizationId));
	}

	PspResponse invalidState(IllegalTransition refusal) {
		return problem(HttpStatus.CONFLICT, "psp-invalid-state", "invalid_state", "Operation not allowed now",
				refusal.getMessage(), Map.of("authorizationId", refusal.authorization().id(), "authorizationStatus",
						refusal.authorization().status().name()));
	}

	PspResponse amountTooLarge(AmountTooLarge refusal) {
		return problem(HttpStatus.UNPROCESSABLE_CONTENT, "psp-amount-too-large", "amount_too_large",
				"Amount too large", refusal.getMessage(), Map.of("authorizationId", refusal.authorization().id(),
						"authorizationStatus", refusal.authorization().status().name(), "availableMinor",
						refusal.availableMinor()));
	}

	PspResponse idempotencyMismatch() {
		return problem(HttpStatus.UNPROCESSABLE_CONTENT, "psp-idempotency-error", "idempotency_error",
				"Idempotency key reused", "This Idempotency-Key was used with different parameters or another endpoint.",
				Map.of());
	}

	PspResponse inFlight() {
		PspResponse problem = problem(HttpStatus.CONFLICT, "psp-idempotency-key-in-use", "idempotency_key_in_use",
				"Request in progress", "A request with this Idempotency-Key is still being processed; retry later.",
				Map.of());
		return new PspResponse(problem.status(), null, problem.body(), false, true);
	}

	private PspResponse problem(HttpStatus status, String slug, String code, String title, String detail,
			Map<String, Object> properties) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", Problems.type(slug).toString());
		body.put("title", title);
		body.put("status", status.value());
		body.put("detail", detail);
		body.put("code", code);
		body.putAll(properties);
		return new PspResponse(status.value(), null, json.writeValueAsBytes(body), false, false);
	}
}
