package io.orderly.shipping.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.webhooks.WebhookSignature;
import io.orderly.shipping.internal.CarrierProperties;
import io.orderly.shipping.internal.ShipmentManagement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Where the carrier tells us a parcel was delivered. */
@RestController
@ConditionalOnModule("shipping")
@Tag(name = "Shipping (carrier webhooks)")
class CarrierWebhookController {

	private final ShipmentManagement shipments;

	private final CarrierProperties carrier;

	private final JsonMapper json;

	private final Clock clock;

	CarrierWebhookController(ShipmentManagement shipments, CarrierProperties carrier, JsonMapper json, Clock clock) {
		this.shipments = shipments;
		this.carrier = carrier;
		this.json = json;
		this.clock = clock;
	}

	@PostMapping(path = "/v1/webhooks/carrier", consumes = "application/json")
	@Operation(summary = "A delivery reported by the carrier", description = """
			Signed with HMAC-SHA256: header Carrier-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<body>"> with \
			the shared secret (orderly.shipping.carrier.webhook-secret), at most orderly.shipping.carrier.tolerance \
			(5 min) old. Body {"id", "type": "shipment.delivered", "shipmentId", "orderId", "deliveredAt"} \
			(not in the future; one before the dispatch counts as the dispatch's instant). A \
			dispatched shipment becomes DELIVERED and its order shows deliveredAt, once: a report sent again \
			answers DUPLICATE and changes nothing.""")
	@ApiResponse(responseCode = "200", description = "Taken (outcome: APPLIED, or DUPLICATE for a shipment not dispatched or delivered already)")
	@ApiResponse(responseCode = "400", description = "Not a delivery report")
	@ApiResponse(responseCode = "401", description = "Signature missing, wrong or too old; nothing changed")
	Map<String, String> receive(@RequestHeader(name = "Carrier-Signature", required = false) String signature,
			@RequestBody String body) {
		if (!WebhookSignature.verify(carrier.webhookSecret(), signature, body, clock.instant(), carrier.tolerance())) {
			throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid-signature", "Invalid signature",
					"The Carrier-Signature header is missing, does not match the body, or is too old.");
		}
		UUID shipmentId;
		Instant deliveredAt;
		try {
			JsonNode event = json.readTree(body);
			if (!"shipment.delivered".equals(event.path("type").asString(""))) {
				throw invalid("type is not shipment.delivered");
			}
			shipmentId = UUID.fromString(event.path("shipmentId").asString(""));
			deliveredAt = Instant.parse(event.path("deliveredAt").asString(""));
		}
		catch (JacksonException | IllegalArgumentException | DateTimeParseException ex) {
			throw invalid("a delivery report has a type, a shipmentId (a UUID) and a deliveredAt (an instant)");
		}
		if (deliveredAt.isAfter(clock.instant().plus(carrier.tolerance()))) {
			throw invalid("deliveredAt is in the future");
		}
		return Map.of("outcome", shipments.delivered(shipmentId, deliveredAt) ? "APPLIED" : "DUPLICATE");
	}

	private static ProblemException invalid(String detail) {
		return new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request", "Not a delivery report: " + detail);
	}
}
