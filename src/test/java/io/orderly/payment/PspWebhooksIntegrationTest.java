package io.orderly.payment;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.Http;
import io.orderly.payment.internal.PaymentProvider;
import io.orderly.platform.webhooks.WebhookSignature;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks from the provider: signed and verified, taken once per event id, and only a hint:
 * the payment is reconciled with what the provider holds now, so a late or repeated event
 * cannot move it backwards, and an event for a payment we do not know is kept, not applied.
 */
@TestPropertySource(properties = "orderly.psp.webhooks.enabled=true")
class PspWebhooksIntegrationTest extends PaymentTestSupport {

	private static final String SECRET = "orderly-dev-webhook-secret";

	@Autowired
	PaymentProvider provider;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	private Http.Response post(String body, String signature) {
		return new Http(port).post("/v1/webhooks/psp", body, signature == null ? Map.of() : Map.of(WebhookSignature.HEADER, signature));
	}

	private Http.Response signed(String body) {
		return post(body, WebhookSignature.sign(SECRET, Instant.now().getEpochSecond(), body));
	}

	private static String event(String id, String type, String authorizationId, String reference, String status,
			long amount, long captured) {
		return """
				{"id": "%s", "type": "%s", "createdAt": "%s", "data": {"id": "%s", "reference": "%s", "status": "%s",
				 "declineCode": null, "amountMinor": %d, "currency": "EUR", "capturedMinor": %d, "refundedMinor": 0}}"""
			.formatted(id, type, Instant.now(), authorizationId, reference, status, amount, captured);
	}

	private long events() {
		return jdbc.sql("select count(*) from payment.webhook_events").query(Long.class).single();
	}

	@Test
	void aChangeMadeAtTheProviderReachesOurRecordThroughItsWebhook() {
		String orderId = newOrderId();
		authorized(orderId, 2000);
		String authorization = payments.find(orderId).orElseThrow().pspAuthorizationId();

		provider.voidAuthorization("elsewhere:" + orderId, authorization);

		await().atMost(DEADLINE).until(() -> payments.find(orderId).orElseThrow().status() == PaymentStatus.VOIDED);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void refusesUnsignedForgedOrStaleEventsAndKeepsNothing() {
		String body = event("evt_" + UUID.randomUUID(), "authorization.voided", "auth_x", newOrderId(), "VOIDED", 100, 0);
		long before = events();

		Http.Response unsigned = post(body, null);
		Http.Response forged = post(body, WebhookSignature.sign("not-the-secret", Instant.now().getEpochSecond(), body));
		Http.Response stale = post(body, WebhookSignature.sign(SECRET, Instant.now().minusSeconds(600).getEpochSecond(), body));
		Http.Response tampered = post(body.replace("VOIDED", "CAPTURED"),
				WebhookSignature.sign(SECRET, Instant.now().getEpochSecond(), body));

		for (Http.Response refused : new Http.Response[] { unsigned, forged, stale, tampered }) {
			assertThat(refused.status()).as(refused.body()).isEqualTo(401);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(signed("{\"id\": \"evt_1\"}").status()).isEqualTo(400);
		assertThat(signed("not json").status()).isEqualTo(400);
		assertThat(events()).isEqualTo(before);
	}

	@Test
	void takesAnEventOnceAndAnswersItsRedeliveryAsADuplicate() {
		String orderId = newOrderId();
		authorized(orderId, 1200);
		String authorization = payments.find(orderId).orElseThrow().pspAuthorizationId();
		String body = event("evt_" + UUID.randomUUID(), "authorization.succeeded", authorization, orderId, "AUTHORIZED", 1200, 0);

		Http.Response first = signed(body);
		Http.Response again = signed(body);

		assertThat(first.json().get("outcome").asString()).isEqualTo("APPLIED");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("outcome").asString()).isEqualTo("DUPLICATE");
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZED);
	}

	@Test
	void keepsAnEventForAPaymentWeDoNotKnowWithoutApplyingIt() {
		String stranger = newOrderId();
		Http.Response taken = signed(event("evt_" + UUID.randomUUID(), "authorization.succeeded", "auth_" + UUID.randomUUID(),
				stranger, "AUTHORIZED", 500, 0));

		assertThat(taken.json().get("outcome").asString()).isEqualTo("UNMATCHED");
		assertThat(payments.find(stranger)).isEmpty();
	}

	@Test
	void anOldEventArrivingLateDoesNotMoveAPaymentBack() {
		String orderId = newOrderId();
		authorized(orderId, 3300);
		send(orderId, new CapturePayment(orderId));
		assertThat(awaitReply(orderId, 2)).isInstanceOf(PaymentCaptured.class);
		String authorization = payments.find(orderId).orElseThrow().pspAuthorizationId();

		Http.Response late = signed(event("evt_" + UUID.randomUUID(), "authorization.succeeded", authorization, orderId,
				"AUTHORIZED", 3300, 0));

		assertThat(late.json().get("outcome").asString()).isEqualTo("APPLIED");
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.CAPTURED);
		assertBooksMatchProvider(orderId);
	}
}
