package io.orderly.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.platform.MutableClock;
import io.orderly.platform.webhooks.WebhookSignature;
import io.orderly.notification.internal.NotificationProperties;
import io.orderly.providers.internal.ProviderSimulators;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SMS and push through the provider simulators over real HTTP: receipts, refusals, the
 * providers' rate limit, failover from primary to secondary with each message delivered once
 * across both, a message that may have arrived asked again of its provider only, retries then
 * a dead letter. Faults are set per test and cleared after it.
 */
@IntegrationTest
@Import(NotificationTestConfiguration.class)
@TestPropertySource(properties = { "orderly.providers.rate-per-second=50", "orderly.providers.receipt-delay=100ms",
		"orderly.notification.retry-after=10m",
		"orderly.notification.providers.sms-primary.rate-per-second=45",
		"orderly.notification.providers.sms-primary.timeout=500ms",
		"orderly.notification.providers.sms-primary.breaker.minimum-calls=4",
		"orderly.notification.providers.sms-primary.breaker.open-for=1h",
		"orderly.notification.providers.sms-secondary.rate-per-second=45",
		"orderly.notification.providers.push-primary.rate-per-second=45" })
class NotificationProvidersIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	@Autowired
	ProviderSimulators simulators;

	@Autowired
	MutableClock clock;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	NotificationProperties properties;

	@Value("${orderly.notification.receipts.secret}")
	String receiptSecret;

	@LocalServerPort
	int port;

	private final String customer = "c-" + UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void clearFaultsAndBreakers() {
		for (String provider : List.of("sms-primary", "sms-secondary", "push-primary", "push-secondary")) {
			faults(provider, Map.of());
		}
		breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	@Test
	void anSmsIsSentDeliveredAndABouncedOneSaysSo() {
		preferences(customer, "+4915112345678");
		String delivered = send(customer, "security-alert", Map.of("event", "new device"), List.of("sms", "push"));
		String bouncedCustomer = customer + "-b";
		preferences(bouncedCustomer, "+4915100009999");
		String bounced = send(bouncedCustomer, "security-alert", Map.of("event", "new device"), List.of("sms"));

		JsonNode sms = await().atMost(DEADLINE).until(() -> delivery(notification(delivered), "sms"),
				d -> d.get("status").asString().equals("DELIVERED"));
		assertThat(sms.get("provider").asString()).isEqualTo("sms-primary");
		assertThat(statuses(sms)).containsExactly("QUEUED", "SENT", "DELIVERED");
		assertThat(sms.get("body").asString()).isEqualTo("Security notice: new device.");
		JsonNode push = delivery(notification(delivered), "push");
		assertThat(push.get("status").asString()).isIn("SENT", "DELIVERED");
		assertThat(push.get("provider").asString()).isEqualTo("push-primary");
		await().atMost(DEADLINE).until(() -> delivery(notification(bounced), "sms").get("status").asString(),
				"BOUNCED"::equals);
	}

	@Test
	void aNumberNobodyHasIsRefusedOnceAndNotRetried() {
		preferences(customer, "+4915100000000");
		String id = send(customer, "security-alert", Map.of("event", "new device"), List.of("sms"));

		JsonNode sms = await().atMost(DEADLINE).until(() -> delivery(notification(id), "sms"),
				d -> d.get("status").asString().equals("FAILED"));
		assertThat(sms.get("attempts").asInt()).isEqualTo(1);
		assertThat(lastDetail(sms)).isEqualTo("rejected by sms-primary: invalid_recipient");
	}

	@Test
	void whenThePrimaryFailsSendsMoveToTheSecondaryAndEachIsDeliveredOnce() {
		preferences(customer, "+4915112345678");
		faults("sms-primary", Map.of("errorRate", 1.0));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			ids.add(send(customer, "security-alert", Map.of("event", "sign-in " + i), List.of("sms")));
		}

		List<JsonNode> sent = ids.stream()
			.map(id -> await().atMost(DEADLINE).until(() -> delivery(notification(id), "sms"),
					d -> List.of("SENT", "DELIVERED").contains(d.get("status").asString())))
			.toList();
		assertThat(sent).allSatisfy(d -> assertThat(d.get("provider").asString()).isEqualTo("sms-secondary"));
		for (JsonNode delivery : sent) {
			String key = delivery.get("id").asString();
			assertThat(simulators.askedFor("sms-primary", key)).as("taken by the failing primary").isZero();
			assertThat(simulators.askedFor("sms-secondary", key)).as("taken by the secondary once").isEqualTo(1);
		}
		// The breaker opened after a few failures: most messages never tried the primary.
		JsonNode primary = records("sms-primary");
		assertThat(primary.get("errors").asLong()).isLessThan(ids.size());
	}

	@Test
	void aMessageThePrimaryMayHaveTakenIsAskedOfItAgainNeverOfTheSecondary() {
		preferences(customer, "+4915112345678");
		// The primary takes every message and answers too late: the client cannot know it was sent.
		faults("sms-primary", Map.of("timeoutRate", 1.0, "hangMs", 1500));
		String id = send(customer, "security-alert", Map.of("event", "password changed"), List.of("sms"));
		JsonNode first = await().atMost(DEADLINE).until(() -> delivery(notification(id), "sms"),
				d -> d.get("status").asString().equals("QUEUED") && statuses(d).size() == 2);
		assertThat(lastDetail(first)).contains("may have arrived").contains("sms-primary");
		String key = first.get("id").asString();

		// Now the primary refuses outright: the secondary could take it, but must not.
		faults("sms-primary", Map.of("errorRate", 1.0));
		clock.advance(Duration.ofMinutes(11));
		await().atMost(DEADLINE).until(() -> delivery(notification(id), "sms").get("attempts").asInt() == 2);
		assertThat(simulators.askedFor("sms-secondary", key)).isZero();

		faults("sms-primary", Map.of());
		clock.advance(Duration.ofMinutes(21));
		JsonNode sent = await().atMost(DEADLINE).until(() -> delivery(notification(id), "sms"),
				d -> List.of("SENT", "DELIVERED").contains(d.get("status").asString()));
		assertThat(sent.get("provider").asString()).isEqualTo("sms-primary");
		assertThat(simulators.askedFor("sms-primary", key)).as("asked twice when it could answer, taken once")
			.isEqualTo(2);
		assertThat(simulators.askedFor("sms-secondary", key)).isZero();
		assertThat(records("sms-primary").get("accepted").asLong()).isPositive();
	}

	@Test
	void transientFailuresAreRetriedThreeTimesThenDeadLetteredWithTheirHistory() {
		preferences(customer, "+4915112345678");
		faults("push-primary", Map.of("errorRate", 1.0));
		faults("push-secondary", Map.of("errorRate", 1.0));
		putPreferences(customer, Map.of("contacts", Map.of("phone", "+4915112345678", "pushTokens", List.of("device-1234"))));
		String id = send(customer, "order-dispatched", Map.of("orderId", "o-1", "shipmentId", "s-1"), List.of("push"));

		for (int attempt = 1; attempt <= 2; attempt++) {
			int done = attempt;
			await().atMost(DEADLINE).until(() -> delivery(notification(id), "push").get("attempts").asInt() == done);
			clock.advance(Duration.ofMinutes(25));
		}
		JsonNode failed = await().atMost(DEADLINE).until(() -> delivery(notification(id), "push"),
				d -> d.get("status").asString().equals("FAILED"));
		assertThat(failed.get("attempts").asInt()).isEqualTo(3);
		assertThat(statuses(failed)).containsExactly("QUEUED", "QUEUED", "QUEUED", "FAILED");
		assertThat(lastDetail(failed)).startsWith("gave up after 3 attempts");

		// An operator's second chance: three attempts again, the first of them failing still.
		assertThat(Http.as(port, "alice").post("/v1/notifications/" + id + "/retry", "", Map.of()).status()).isEqualTo(403);
		Http.Response retried = Http.as(port, "operator").post("/v1/notifications/" + id + "/retry", "", Map.of());
		assertThat(retried.status()).as(retried.body()).isEqualTo(202);
		JsonNode again = await().atMost(DEADLINE).until(() -> delivery(notification(id), "push"),
				d -> d.get("attempts").asInt() == 1);
		assertThat(again.get("status").asString()).as("a failed attempt of the retry is retried").isEqualTo("QUEUED");
		assertThat(statuses(again)).containsExactly("QUEUED", "QUEUED", "QUEUED", "FAILED", "QUEUED", "QUEUED");
		assertThat(again.get("history").get(4).get("detail").asString()).isEqualTo("retried by operator");
		faults("push-primary", Map.of());
		clock.advance(Duration.ofMinutes(25));
		await().atMost(DEADLINE).until(() -> delivery(notification(id), "push").get("status").asString(),
				s -> List.of("SENT", "DELIVERED").contains(s));
		Http.Response nothing = Http.as(port, "operator").post("/v1/notifications/" + id + "/retry", "", Map.of());
		assertThat(nothing.status()).isEqualTo(409);
		assertThat(nothing.json().get("type").asString()).isEqualTo("/problems/nothing-to-retry");
	}

	@Test
	void aBacklogFromALongOutageDrainsWithinTheProvidersLimit() {
		for (int i = 0; i < 3; i++) {
			preferences(customer + "-" + i, "+491511234567" + i);
		}
		faults("sms-primary", Map.of("down", true));
		faults("sms-secondary", Map.of("down", true));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 150; i++) {
			ids.add(send(customer + "-" + (i % 3), "security-alert", Map.of("event", "backlog " + i), List.of("sms")));
		}
		// Both taken for down: the messages wait, none spends its attempts on a provider known to be away.
		await().atMost(DEADLINE).until(() -> breakers.circuitBreaker("notification-sms-primary").getState() == CircuitBreaker.State.OPEN
				&& breakers.circuitBreaker("notification-sms-secondary").getState() != CircuitBreaker.State.CLOSED);

		faults("sms-primary", Map.of());
		faults("sms-secondary", Map.of());
		clock.advance(Duration.ofMinutes(11));
		for (String id : ids) {
			JsonNode sent = await().atMost(DEADLINE).until(() -> delivery(notification(id), "sms"),
					d -> List.of("SENT", "DELIVERED").contains(d.get("status").asString()));
			assertThat(sent.get("attempts").asInt()).isLessThanOrEqualTo(2);
		}
		for (String provider : List.of("sms-primary", "sms-secondary")) {
			JsonNode records = records(provider);
			assertThat(records.get("rateLimited").asLong()).as(provider + " refused for its limit").isZero();
			// Its limit is a bucket of one second's capacity: no calendar second can hold more than twice the rate.
			assertThat(records.get("maxAcceptedPerSecond").asLong()).as(provider + " busiest second").isLessThanOrEqualTo(100);
		}
	}

	@Test
	void aChannelHeldToASlowProviderDoesNotHoldUpAnotherChannelOfTheSamePriority() {
		preferences(customer, "+4915112345678");
		faults("push-primary", Map.of("latencyMs", 1000));
		long acceptedBefore = records("push-primary").get("accepted").asLong();
		int pushes = 20;
		for (int i = 0; i < pushes; i++) {
			send(customer, "security-alert", Map.of("event", "slow " + i), List.of("push"), "marketing");
		}
		// Marketing has one worker per channel: the pushes, a second each, keep the push one busy.
		String inApp = send(customer, "security-alert", Map.of("event", "in the feed"), List.of("in_app"), "marketing");

		await().atMost(DEADLINE).until(() -> delivery(notification(inApp), "in_app").get("status").asString(),
				"SENT"::equals);
		long pushed = records("push-primary").get("accepted").asLong() - acceptedBefore;
		assertThat(pushed).as("pushes sent before the in-app message went").isLessThan(pushes / 2);
	}

	@Test
	void aRoundHeldUpByASlowProviderStopsAtHalfItsLeaseAndWhatItGaveBackGoesOnceAndNotIntoADigest() {
		faults("push-primary", Map.of("latencyMs", 1000));
		long acceptedBefore = records("push-primary").get("accepted").asLong();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			String recipient = customer + "-" + i;
			preferences(recipient, "+4915112345678");
			// The first offer of a digest window, on the queue with two workers that could take over each other's leases.
			ids.add(send(recipient, "promotion", Map.of("headline", "Offer " + i, "text", "Now."), List.of("push"),
					"transactional"));
		}
		await().atMost(DEADLINE).until(() -> records("push-primary").get("accepted").asLong() - acceptedBefore >= 1);
		// Past half the lease: the rounds stop after the send in flight and give the rest back.
		clock.advance(properties.lease().multipliedBy(3).dividedBy(4));
		await().atMost(DEADLINE).until(() -> records("push-primary").get("accepted").asLong() - acceptedBefore >= 4);
		// Past the first rounds' leases (not those of the rounds that took back what they gave): a round
		// that kept its deliveries would now see them taken over.
		clock.advance(properties.lease().dividedBy(2));

		for (String id : ids) {
			JsonNode push = await().atMost(DEADLINE).until(() -> delivery(notification(id), "push"),
					d -> List.of("SENT", "DELIVERED").contains(d.get("status").asString()));
			assertThat(statuses(push)).as("never held for the digest it opened").doesNotContain("HELD");
			assertThat(simulators.askedFor("push-primary", push.get("id").asString())).as("asked once: %s", push)
				.isEqualTo(1);
		}
	}

	@Test
	void aForgedOrUnknownReceiptChangesNothing() {
		String body = "{\"messageId\":\"sms-primary-nothing\",\"status\":\"delivered\"}";
		Http anonymous = Http.anonymous(port);
		assertThat(anonymous.post("/v1/webhooks/notifications/sms-primary", body,
				Map.of("Psp-Signature", WebhookSignature.sign("wrong", clock.instant().getEpochSecond(), body)))
			.status()).isEqualTo(401);
		assertThat(anonymous.post("/v1/webhooks/notifications/sms-primary", body,
				Map.of("Psp-Signature", WebhookSignature.sign(receiptSecret, clock.instant().getEpochSecond(), body)))
			.status()).isEqualTo(409);
		String malformed = "{\"messageId\":\"x\",\"status\":\"eaten\"}";
		assertThat(anonymous.post("/v1/webhooks/notifications/sms-primary", malformed,
				Map.of("Psp-Signature", WebhookSignature.sign(receiptSecret, clock.instant().getEpochSecond(), malformed)))
			.status()).isEqualTo(400);
	}

	private void faults(String provider, Map<String, Object> faults) {
		Http.Response response = Http.as(port, "admin").put("/v1/admin/notification-providers/" + provider + "/faults",
				Http.toJson(faults), Map.of());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	private JsonNode records(String provider) {
		return Http.as(port, "admin")
			.get("/v1/admin/notification-providers")
			.json()
			.valueStream()
			.filter(r -> r.get("name").asString().equals(provider))
			.findFirst()
			.orElseThrow();
	}

	private void preferences(String customerId, String phone) {
		putPreferences(customerId, Map.of("contacts", Map.of("phone", phone, "pushTokens", List.of("device-" + customerId))));
	}

	private void putPreferences(String customerId, Map<String, Object> preferences) {
		Http.Response response = Http.as(port, "operator").put("/v1/customers/" + customerId + "/notification-preferences",
				Http.toJson(preferences), Map.of());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	private String send(String recipient, String template, Map<String, Object> data, List<String> channels) {
		return send(recipient, template, data, channels, null);
	}

	/** Sends with the template's priority, or {@code priority} when it is not null. */
	private String send(String recipient, String template, Map<String, Object> data, List<String> channels,
			String priority) {
		Map<String, Object> request = new HashMap<>(Map.of("recipient", recipient, "template", template,
				"data", data, "channels", channels));
		if (priority != null) {
			request.put("priority", priority);
		}
		Http.Response response = Http.as(port, "operator").post("/v1/notifications", Http.toJson(request),
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		return response.json().get("id").asString();
	}

	private JsonNode notification(String id) {
		return Http.as(port, "operator").get("/v1/notifications/" + id).json();
	}

	private static JsonNode delivery(JsonNode notification, String channel) {
		return notification.get("deliveries")
			.valueStream()
			.filter(d -> d.get("channel").asString().equals(channel))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + channel + " delivery in " + notification));
	}

	private static List<String> statuses(JsonNode delivery) {
		return delivery.get("history").valueStream().map(h -> h.get("status").asString()).toList();
	}

	private static String lastDetail(JsonNode delivery) {
		JsonNode history = delivery.get("history");
		return history.get(history.size() - 1).get("detail").asString();
	}
}
