package io.orderly.payment.web;

import java.util.Map;

import io.orderly.payment.internal.PspWebhooks;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.webhooks.WebhookSignature;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Where the payment provider tells us what happened to an authorization. */
@RestController
@ConditionalOnModule("payment")
@Tag(name = "Payments (provider webhooks)")
class PspWebhookController {

	private final PspWebhooks webhooks;

	PspWebhookController(PspWebhooks webhooks) {
		this.webhooks = webhooks;
	}

	@PostMapping(path = "/v1/webhooks/psp", consumes = "application/json")
	@Operation(summary = "An event from the payment provider", description = """
			Signed with HMAC-SHA256: header Psp-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<body>"> with the \
			shared secret (orderly.payment.webhooks.secret), at most orderly.payment.webhooks.tolerance (5 min) old. \
			Each event id is taken once; the order's payment is then reconciled with what the provider holds now, \
			so events that arrive twice or out of order change nothing wrongly.""")
	@ApiResponse(responseCode = "200", description = "Taken (outcome: APPLIED, UNMATCHED for a reference without a payment, or DUPLICATE)")
	@ApiResponse(responseCode = "400", description = "Not a provider event")
	@ApiResponse(responseCode = "401", description = "Signature missing, wrong or too old; nothing kept")
	@ApiResponse(responseCode = "503", description = "The provider could not be asked; nothing kept, deliver again")
	Map<String, String> receive(@RequestHeader(name = WebhookSignature.HEADER, required = false) String signature,
			@RequestBody String body) {
		return Map.of("outcome", webhooks.receive(signature, body).name());
	}
}
