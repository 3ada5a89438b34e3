package io.orderly.psp;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.OpenApiContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.orderly.psp.PspClient.newKey;
import static io.orderly.psp.PspClient.newReference;
import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class PspPaymentsIntegrationTest {

	@LocalServerPort
	int platformPort;

	@Value("${orderly.psp.port}")
	int pspPort;

	@Value("${orderly.psp.base-url}")
	String baseUrl;

	PspClient client;

	@BeforeEach
	void setUp() {
		client = new PspClient(pspPort, platformPort);
		client.resetFaults();
	}

	@AfterEach
	void resetFaults() {
		client.resetFaults();
	}

	@Test
	void servesItsApiOnItsOwnPortAtTheBaseUrl() {
		assertThat(pspPort).isNotEqualTo(platformPort).isPositive();
		assertThat(baseUrl).isEqualTo("http://localhost:" + pspPort);

		Http.Response onPlatformPort = client.platform.post("/psp/v1/authorizations", "{}", java.util.Map.of());
		Http.Response platformApiOnPspPort = client.psp.get("/psp/admin/faults");

		assertThat(onPlatformPort.status()).isEqualTo(404);
		assertThat(onPlatformPort.json().get("detail").asString()).contains(baseUrl);
		assertThat(platformApiOnPspPort.status()).isEqualTo(404);
		assertThat(client.psp.get("/psp/v1/charges?reference=x").status()).isEqualTo(200);
	}

	@Test
	void authorizesCapturesAndRefundsWithTokOk() {
		String reference = newReference();

		Http.Response authorized = client.authorize(newKey(), reference, 2598, "tok_ok");
		String id = authorized.json().get("id").asString();
		Http.Response captured = client.capture(newKey(), id, null);
		Http.Response refunded = client.refund(newKey(), id, 598L);
		Http.Response refundedRest = client.refund(newKey(), id, null);

		assertThat(authorized.status()).isEqualTo(201);
		assertThat(authorized.header("Location")).isEqualTo("/psp/v1/authorizations/" + id);
		assertThat(authorized.json().get("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(authorized.json().get("amountMinor").asLong()).isEqualTo(2598);
		assertThat(authorized.json().get("currency").asString()).isEqualTo("EUR");
		assertThat(captured.status()).isEqualTo(200);
		assertThat(captured.json().get("status").asString()).isEqualTo("CAPTURED");
		assertThat(captured.json().get("capturedMinor").asLong()).isEqualTo(2598);
		assertThat(refunded.status()).isEqualTo(200);
		assertThat(refunded.json().get("refundedMinor").asLong()).isEqualTo(598);
		assertThat(refundedRest.json().get("refundedMinor").asLong()).isEqualTo(2598);

		JsonNode charge = client.charges(reference).json().get("items").get(0);
		assertThat(charge.get("id").asString()).isEqualTo(id);
		assertThat(charge.get("capturedMinor").asLong()).isEqualTo(2598);
		assertThat(charge.get("refundedMinor").asLong()).isEqualTo(2598);
		assertThat(charge.get("voided").asBoolean()).isFalse();
		assertThat(charge.get("operations").valueStream().map(o -> o.get("type").asString() + ":" + o.get("amountMinor").asLong()))
			.containsExactly("AUTHORIZE:2598", "CAPTURE:2598", "REFUND:598", "REFUND:2000");
		assertThat(charge.get("operations").get(0).get("createdAt").asString()).endsWith("Z");
	}

	@Test
	void declinesTokDeclinedAsAResultNotAnError() {
		String reference = newReference();

		Http.Response declined = client.authorize(newKey(), reference, 100, "tok_declined");
		Http.Response capture = client.capture(newKey(), declined.json().get("id").asString(), null);

		assertThat(declined.status()).isEqualTo(201);
		assertThat(declined.json().get("status").asString()).isEqualTo("DECLINED");
		assertThat(declined.json().get("declineCode").asString()).isEqualTo("card_declined");
		assertThat(capture.status()).isEqualTo(409);
		assertThat(capture.json().get("code").asString()).isEqualTo("invalid_state");
		assertThat(client.charges(reference).json().get("items").get(0).get("operations").get(0).get("outcome").asString())
			.isEqualTo("DECLINED");
	}

	@Test
	void declinesTokInsufficientFundsWithItsOwnCode() {
		Http.Response declined = client.authorize(newKey(), newReference(), 100, "tok_insufficient_funds");

		assertThat(declined.status()).isEqualTo(201);
		assertThat(declined.json().get("status").asString()).isEqualTo("DECLINED");
		assertThat(declined.json().get("declineCode").asString()).isEqualTo("insufficient_funds");
	}

	@Test
	void refusesUnknownTokensAndBadAmountsAndStoresNothing() {
		String reference = newReference();
		String key = newKey();

		Http.Response unknownToken = client.authorize(key, reference, 100, "tok_stolen");
		Http.Response fractional = client.psp.post("/psp/v1/authorizations", """
				{"reference": "%s", "amountMinor": 12.5, "currency": "EUR", "token": "tok_ok"}""".formatted(reference),
				java.util.Map.of("Idempotency-Key", key));
		Http.Response zero = client.authorize(key, reference, 0, "tok_ok");
		Http.Response noKey = client.psp.post("/psp/v1/authorizations", "{}", java.util.Map.of());

		assertThat(unknownToken.status()).isEqualTo(400);
		assertThat(fractional.status()).isEqualTo(400);
		assertThat(fractional.json().get("errors").get(0).get("field").asString()).isEqualTo("amountMinor");
		assertThat(zero.status()).isEqualTo(400);
		assertThat(noKey.status()).isEqualTo(400);
		assertThat(client.charges(reference).json().get("items").isEmpty()).isTrue();
		// The key was never used by a request that ran: it is free.
		assertThat(client.authorize(key, reference, 100, "tok_ok").status()).isEqualTo(201);
	}

	@Test
	void voidsAnAuthorizationAndThenRefusesToCaptureIt() {
		String reference = newReference();
		String id = client.authorize(newKey(), reference, 500, "tok_ok").json().get("id").asString();

		Http.Response voided = client.voidAuthorization(newKey(), id);
		Http.Response capture = client.capture(newKey(), id, null);

		assertThat(voided.status()).isEqualTo(200);
		assertThat(voided.json().get("status").asString()).isEqualTo("VOIDED");
		assertThat(voided.json().get("voided").asBoolean()).isTrue();
		assertThat(capture.status()).isEqualTo(409);
		assertThat(capture.json().get("authorizationStatus").asString()).isEqualTo("VOIDED");
		JsonNode charge = client.charges(reference).json().get("items").get(0);
		assertThat(charge.get("capturedMinor").asLong()).isZero();
		assertThat(charge.get("voided").asBoolean()).isTrue();
	}

	@Test
	void refusesToCaptureMoreThanAuthorized() {
		String id = client.authorize(newKey(), newReference(), 1000, "tok_ok").json().get("id").asString();

		Http.Response tooMuch = client.capture(newKey(), id, 1001L);

		assertThat(tooMuch.status()).isEqualTo(422);
		assertThat(tooMuch.header("Content-Type")).startsWith("application/problem+json");
		assertThat(tooMuch.json().get("code").asString()).isEqualTo("amount_too_large");
		assertThat(tooMuch.json().get("availableMinor").asLong()).isEqualTo(1000);
		assertThat(client.capture(newKey(), id, 1000L).status()).isEqualTo(200);
	}

	@Test
	void refusesASecondCaptureWithAnotherKey() {
		String reference = newReference();
		String id = client.authorize(newKey(), reference, 1000, "tok_ok").json().get("id").asString();

		Http.Response first = client.capture(newKey(), id, 400L);
		Http.Response second = client.capture(newKey(), id, 400L);

		assertThat(first.status()).isEqualTo(200);
		assertThat(second.status()).isEqualTo(409);
		assertThat(second.json().get("code").asString()).isEqualTo("invalid_state");
		assertThat(second.json().get("authorizationStatus").asString()).isEqualTo("CAPTURED");
		assertThat(second.header("Retry-After")).isNull();
		assertThat(client.charges(reference).json().get("items").get(0).get("capturedMinor").asLong()).isEqualTo(400);
	}

	@Test
	void refusesToRefundMoreThanCapturedOrBeforeCapture() {
		String id = client.authorize(newKey(), newReference(), 1000, "tok_ok").json().get("id").asString();

		Http.Response beforeCapture = client.refund(newKey(), id, 100L);
		client.capture(newKey(), id, 600L);
		Http.Response tooMuch = client.refund(newKey(), id, 601L);

		assertThat(beforeCapture.status()).isEqualTo(409);
		assertThat(tooMuch.status()).isEqualTo(422);
		assertThat(tooMuch.json().get("availableMinor").asLong()).isEqualTo(600);
	}

	@Test
	void findsAuthorizationsByIdAndByReference() {
		String reference = newReference();
		String first = client.authorize(newKey(), reference, 100, "tok_declined").json().get("id").asString();
		String second = client.authorize(newKey(), reference, 100, "tok_ok").json().get("id").asString();

		Http.Response byId = client.psp.get("/psp/v1/authorizations/" + second);
		Http.Response byReference = client.psp.get("/psp/v1/authorizations?reference=" + reference);
		Http.Response unknown = client.psp.get("/psp/v1/authorizations/auth_nope");

		assertThat(byId.json().get("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(byReference.json().get("items").valueStream().map(a -> a.get("id").asString()))
			.containsExactly(first, second);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(client.capture(newKey(), "auth_nope", null).status()).isEqualTo(404);
	}

	@Test
	void hasADocumentOfItsOwnNamingItsOwnPortWhichTheApisDocumentLeavesOut() {
		String api = client.platform.get("/v3/api-docs").body();
		Http.Response document = client.psp.get("/v3/api-docs/psp");
		Http.Response elsewhere = client.platform.get("/v3/api-docs/psp");

		assertThat(api).contains("/v1/orders").doesNotContain("/psp/").doesNotContain("AuthorizeRequest");
		assertThat(document.status()).isEqualTo(200);
		assertThat(document.json().get("servers").get(0).get("url").asString()).isEqualTo(baseUrl);
		assertThat(document.json().get("paths").propertyNames()).contains("/psp/v1/authorizations",
				"/psp/v1/authorizations/{id}/capture", "/psp/v1/authorizations/{id}/refunds");
		assertThat(elsewhere.json().get("servers").get(0).get("url").asString()).isEqualTo(baseUrl);
		assertThat(client.platform.get("/v3/api-docs/swagger-config").json().get("urls").valueStream()
			.map(url -> url.get("url").asString())).containsExactlyInAnyOrder("/v3/api-docs", "/v3/api-docs/psp");
	}

	@Test
	void answersAsItsDocumentSays() {
		OpenApiContract contract = new OpenApiContract(client.psp.get("/v3/api-docs/psp").body());
		String reference = newReference();
		String key = newKey();
		String authorize = "{\"reference\":\"" + reference + "\",\"amountMinor\":2500,\"currency\":\"EUR\",\"token\":\"tok_ok\"}";

		Http.Response authorized = contract.call(client.psp, null, "POST", "/psp/v1/authorizations", authorize,
				java.util.Map.of("Idempotency-Key", key));
		String id = authorized.json().get("id").asString();
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations", authorize, java.util.Map.of("Idempotency-Key", key));
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations", authorize.replace("2500", "2600"),
				java.util.Map.of("Idempotency-Key", key));
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations",
				authorize.replace("tok_ok", "tok_declined").replace(reference, newReference()), java.util.Map.of());
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations", "{\"amountMinor\":-1}", java.util.Map.of());
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations", authorize, java.util.Map.of("Idempotency-Key", ""));
		contract.call(client.psp, null, "GET", "/psp/v1/authorizations/" + id, null, java.util.Map.of());
		contract.call(client.psp, null, "GET", "/psp/v1/authorizations/auth_nope", null, java.util.Map.of());
		contract.call(client.psp, null, "GET", "/psp/v1/authorizations?reference=" + reference, null, java.util.Map.of());
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations/" + id + "/capture", "{\"amountMinor\":9999}",
				java.util.Map.of());
		Http.Response captured = contract.call(client.psp, null, "POST", "/psp/v1/authorizations/" + id + "/capture", null,
				java.util.Map.of());
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations/" + id + "/void", null, java.util.Map.of());
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations/" + id + "/refunds", "{\"amountMinor\":500}",
				java.util.Map.of());
		contract.call(client.psp, null, "POST", "/psp/v1/authorizations/auth_nope/refunds", null, java.util.Map.of());

		assertThat(authorized.status()).isEqualTo(201);
		assertThat(captured.status()).isEqualTo(200);
		assertThat(contract.violations()).as(String.join("\n", contract.violations())).isEmpty();
	}
}
