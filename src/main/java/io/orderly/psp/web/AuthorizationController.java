package io.orderly.psp.web;

import io.orderly.platform.web.ProblemException;
import io.orderly.psp.internal.AuthorizationList;
import io.orderly.psp.internal.AuthorizationView;
import io.orderly.psp.internal.AuthorizeRequest;
import io.orderly.psp.internal.CaptureRequest;
import io.orderly.psp.internal.PaymentProcessor;
import io.orderly.psp.internal.PspEnabled;
import io.orderly.psp.internal.RefundRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Map;

import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulated provider's payment API, on its own port ({@code orderly.psp.base-url}).
 * Every POST needs an {@code Idempotency-Key}; see the package documentation for the rules.
 */
@RestController("pspAuthorizationController")
@RequestMapping("/psp/v1/authorizations")
@Conditional(PspEnabled.class)
@Tag(name = "PSP simulator: payments", description = """
		A stand-in payment provider. Served on its own port: orderly.psp.base-url (default \
		http://localhost:8090), not on the platform's port. Every POST requires an Idempotency-Key: \
		same key and parameters replay the first answer (header Idempotent-Replayed: true), same \
		key with other parameters is 422 idempotency_error, while the first runs 409 \
		idempotency_key_in_use. 5xx or no answer at all: outcome unknown, retry with the same key.""")
class AuthorizationController {

	private final PaymentProcessor processor;

	AuthorizationController(PaymentProcessor processor) {
		this.processor = processor;
	}

	@PostMapping
	@Operation(summary = "Authorize a payment (hold funds on the card)", description = """
			201 with status AUTHORIZED, or 201 with status DECLINED and a declineCode (card_declined, \
			insufficient_funds): a decline is a result, not an error, and is never worth retrying.""")
	@Parameter(name = PspHeaders.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string"))
	@Parameter(name = PspHeaders.ACCOUNT, in = ParameterIn.HEADER, description = "Scope of the idempotency keys",
			schema = @Schema(type = "string"))
	@ApiResponse(responseCode = "201", description = "Authorized or declined",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = AuthorizationView.class)))
	@ApiResponse(responseCode = "400", description = "Invalid body or headers; nothing stored")
	@ApiResponse(responseCode = "409", description = "idempotency_key_in_use")
	@ApiResponse(responseCode = "422", description = "idempotency_error")
	ResponseEntity<byte[]> authorize(
			@RequestHeader(name = PspHeaders.IDEMPOTENCY_KEY, required = false) @Parameter(hidden = true) String key,
			@RequestHeader(name = PspHeaders.ACCOUNT, required = false) @Parameter(hidden = true) String account,
			@RequestBody AuthorizeRequest request) {
		return PspHeaders.toEntity(processor.authorize(PspHeaders.account(account), PspHeaders.key(key), request));
	}

	@PostMapping("/{id}/capture")
	@Operation(summary = "Capture an authorization, once", description = """
			Takes amountMinor (default: all) of an AUTHORIZED authorization; status becomes CAPTURED. \
			A second capture, or a capture of a VOIDED or DECLINED one, is 409 invalid_state; more than \
			authorized is 422 amount_too_large.""")
	@Parameter(name = PspHeaders.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string"))
	@Parameter(name = PspHeaders.ACCOUNT, in = ParameterIn.HEADER, description = "Scope of the idempotency keys",
			schema = @Schema(type = "string"))
	@ApiResponse(responseCode = "200", description = "Captured",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = AuthorizationView.class)))
	@ApiResponse(responseCode = "404", description = "resource_missing")
	@ApiResponse(responseCode = "409", description = "invalid_state or idempotency_key_in_use")
	@ApiResponse(responseCode = "422", description = "amount_too_large or idempotency_error")
	ResponseEntity<byte[]> capture(@PathVariable String id,
			@RequestHeader(name = PspHeaders.IDEMPOTENCY_KEY, required = false) @Parameter(hidden = true) String key,
			@RequestHeader(name = PspHeaders.ACCOUNT, required = false) @Parameter(hidden = true) String account,
			@RequestBody(required = false) CaptureRequest request) {
		return PspHeaders.toEntity(
				processor.capture(PspHeaders.account(account), PspHeaders.key(key), id, request));
	}

	@PostMapping("/{id}/void")
	@Operation(summary = "Void an authorization (release the hold)", description = """
			Only an AUTHORIZED authorization; status becomes VOIDED. Anything else is 409 invalid_state \
			(a captured one must be refunded).""")
	@Parameter(name = PspHeaders.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string"))
	@Parameter(name = PspHeaders.ACCOUNT, in = ParameterIn.HEADER, description = "Scope of the idempotency keys",
			schema = @Schema(type = "string"))
	@ApiResponse(responseCode = "200", description = "Voided",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = AuthorizationView.class)))
	@ApiResponse(responseCode = "404", description = "resource_missing")
	@ApiResponse(responseCode = "409", description = "invalid_state or idempotency_key_in_use")
	ResponseEntity<byte[]> voidAuthorization(@PathVariable String id,
			@RequestHeader(name = PspHeaders.IDEMPOTENCY_KEY, required = false) @Parameter(hidden = true) String key,
			@RequestHeader(name = PspHeaders.ACCOUNT, required = false) @Parameter(hidden = true) String account) {
		return PspHeaders.toEntity(processor.voidAuthorization(PspHeaders.account(account), PspHeaders.key(key), id));
	}

	@PostMapping("/{id}/refunds")
	@Operation(summary = "Refund captured funds", description = """
			Gives back amountMinor (default: all that is left) of a CAPTURED authorization; may be \
			repeated with new keys until refundedMinor reaches capturedMinor. Not captured: 409 \
			invalid_state; more than is left: 422 amount_too_large.""")
	@Parameter(name = PspHeaders.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string"))
	@Parameter(name = PspHeaders.ACCOUNT, in = ParameterIn.HEADER, description = "Scope of the idempotency keys",
			schema = @Schema(type = "string"))
	@ApiResponse(responseCode = "200", description = "Refunded",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = AuthorizationView.class)))
	@ApiResponse(responseCode = "404", description = "resource_missing")
	@ApiResponse(responseCode = "409", description = "invalid_state or idempotency_key_in_use")
	@ApiResponse(responseCode = "422", description = "amount_too_large or idempotency_error")
	ResponseEntity<byte[]> refund(@PathVariable String id,
			@RequestHeader(name = PspHeaders.IDEMPOTENCY_KEY, required = false) @Parameter(hidden = true) String key,
			@RequestHeader(name = PspHeaders.ACCOUNT, required = false) @Parameter(hidden = true) String account,
			@RequestBody(required = false) RefundRequest request) {
		return PspHeaders.toEntity(processor.refund(PspHeaders.account(account), PspHeaders.key(key), id, request));
	}

	@GetMapping("/{id}")
	@Operation(summary = "Read an authorization as it is now")
	@ApiResponse(responseCode = "200", description = "The authorization",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = AuthorizationView.class)))
	@ApiResponse(responseCode = "404", description = "resource_missing")
	AuthorizationView get(@PathVariable String id) {
		return processor.find(id)
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "psp-not-found", "No such authorization",
					"There is no authorization " + id + ".", Map.of("code", "resource_missing", "authorizationId", id)));
	}

	@GetMapping(params = "reference")
	@Operation(summary = "Find the authorizations for a reference",
			description = "What really happened after a lost answer: every authorization with this reference, oldest first.")
	AuthorizationList byReference(@RequestParam String reference) {
		return processor.byReference(reference);
	}
}
