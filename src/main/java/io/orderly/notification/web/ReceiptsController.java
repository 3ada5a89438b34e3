package io.orderly.notification.web;

import java.nio.charset.StandardCharsets;

import io.orderly.notification.internal.DeliveryReceipts;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.webhooks.WebhookSignature;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Delivery receipts from the SMS and push providers: signed, not tokened. */
@RestController
@RequestMapping("/v1/webhooks/notifications")
@ConditionalOnModule("notification")
class ReceiptsController {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DeliveryReceipts receipts;

	ReceiptsController(DeliveryReceipts receipts) {
		this.receipts = receipts;
	}

	@Operation(summary = "A provider's delivery receipt", description = """
			{"messageId", "status": "delivered"|"bounced"}, signed (Psp-Signature, HMAC of the body with the \
			receipts secret). 200 when recorded or seen before; 409 for a message not known yet (the provider \
			sends it again); 401 for a bad signature; 400 for a malformed receipt.""")
	@ApiResponse(responseCode = "200", description = "Recorded, or seen before")
	@ApiResponse(responseCode = "401", description = "The signature does not match the body")
	@ApiResponse(responseCode = "409", description = "No such message of this provider is known yet: send it again later")
	@PostMapping("/{provider}")
	ResponseEntity<Void> receipt(@PathVariable String provider,
			@RequestHeader(name = WebhookSignature.HEADER, required = false) String signature, @RequestBody byte[] raw) {
		String body = new String(raw, StandardCharsets.UTF_8);
		if (!receipts.verified(signature, body)) {
			throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid-signature", "Invalid signature",
					"The receipt's signature does not match its body.");
		}
		JsonNode receipt;
		try {
			receipt = JSON.readTree(body);
		}
		catch (RuntimeException malformed) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-receipt", "Invalid receipt", "The receipt is not JSON.");
		}
		String messageId = receipt.path("messageId").asString("");
		if (messageId.isBlank() || messageId.length() > 200) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-receipt", "Invalid receipt", "messageId is required.");
		}
		DeliveryReceipts.Result result;
		try {
			result = receipts.apply(provider, messageId, receipt.path("status").asString(""));
		}
		catch (IllegalArgumentException ex) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-receipt", "Invalid receipt", ex.getMessage());
		}
		if (result == DeliveryReceipts.Result.UNKNOWN) {
			throw new ProblemException(HttpStatus.CONFLICT, "unknown-message", "Unknown message",
					"No message " + messageId + " of " + provider + " is known yet.");
		}
		return ResponseEntity.ok().build();
	}
}
