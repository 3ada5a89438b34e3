package io.orderly.notification;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import io.orderly.notification.internal.MailServer;
import io.orderly.order.OrderCancelled;
import io.orderly.order.OrderConfirmed;
import io.orderly.order.OrderPlaced;
import io.orderly.payment.PaymentPending;
import io.orderly.platform.MutableClock;
import io.orderly.platform.messaging.Outbox;
import io.orderly.shipping.ShipmentDispatched;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notification service as its users meet it: order events and API requests queued once per
 * event, e-mail over real SMTP (the embedded mail server) and the in-app feed, preferences and
 * quiet hours decided when a message is sent, and every delivery's history. Each test works on
 * customers and orders of its own; the clock only moves forward.
 */
@IntegrationTest
@Import(NotificationTestConfiguration.class)
// Live feed entries must arrive by their signal, not by the streams' periodic look.
// Marketing gives way to a busy API for as long as a test keeps it busy.
// A broadcast's recipients queued two at a time: the tests' broadcasts take several slices.
@TestPropertySource(properties = { "orderly.notification.feed.recheck=1h", "orderly.notification.marketing-yield=1h",
		"orderly.notification.broadcast-slice=2" })
class NotificationIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	NotificationReplies events;

	@Autowired
	MailServer mail;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	NotificationTestConfiguration.PressingCallers callers;

	@LocalServerPort
	int port;

	private final String orderId = "order-" + UUID.randomUUID();

	private final String customer = "c-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void anOrderConfirmedTwiceIsToldOnceByEmailAndInTheFeed() throws Exception {
		preferences(customer, Map.of("contacts", Map.of("email", customer + "@example.com")));
		publish(orderId, new OrderConfirmed(orderId, customer, 2598, "EUR"));
		publish(orderId, new OrderConfirmed(orderId, customer, 2598, "EUR"));
		// Events of one order arrive in order: once the cancellation is handled, so are both confirmations.
		publish(orderId, new OrderCancelled(orderId, customer, "customer_request"));

		List<JsonNode> notifications = await().atMost(DEADLINE)
			.until(() -> ofOrder(orderId), list -> list.size() == 2 && list.stream().allMatch(this::settled));
		JsonNode confirmation = notifications.getLast();
		assertThat(confirmation.get("template").asString()).isEqualTo("order-confirmed");
		assertThat(confirmation.get("templateVersion").asInt()).isEqualTo(2);
		assertThat(channels(confirmation)).containsExactlyInAnyOrder("email", "in_app");
		assertThat(deliveries(confirmation)).allSatisfy(d -> assertThat(d.get("status").asString()).isEqualTo("SENT"));
		JsonNode email = delivery(confirmation, "email");
		assertThat(email.get("provider").asString()).isEqualTo("smtp");
		assertThat(email.get("history").valueStream().map(h -> h.get("status").asString()))
			.containsExactly("QUEUED", "SENT");

		List<MimeMessage> received = mailTo(customer + "@example.com");
		assertThat(received).hasSize(2);
		MimeMessage message = received.stream()
			.filter(m -> subjectOf(m).contains("is confirmed"))
			.findFirst()
			.orElseThrow();
		String content = text(message);
		assertThat(content).contains(orderId).contains("25.98 EUR").contains("<h1>");
		assertThat(message.getHeader("Message-ID")[0]).isEqualTo("<" + email.get("id").asString() + "@orderly>");

		List<Object> sent = events.await(orderId, 4);
		assertThat(sent).hasSize(4).allSatisfy(event -> assertThat(event).isInstanceOf(NotificationSent.class));
		JsonNode feed = Http.as(port, "admin").get("/v1/notifications?recipient=" + customer).json();
		assertThat(feed.get("items")).hasSize(2);
	}

	@Test
	void theCancellationSaysWhyInTheCustomersLanguage() {
		preferences(customer, Map.of("locale", "de", "contacts", Map.of("email", customer + "@example.com")));
		publish(orderId, new OrderCancelled(orderId, customer, "payment_declined"));

		JsonNode cancelled = await().atMost(DEADLINE).until(() -> ofOrder(orderId), this::allSettled).getFirst();
		assertThat(cancelled.get("locale").asString()).isEqualTo("de");
		JsonNode email = delivery(cancelled, "email");
		assertThat(email.get("subject").asString()).isEqualTo("Ihre Bestellung " + orderId + " wurde storniert");
		assertThat(email.get("body").asString()).contains("payment declined");
	}

	@Test
	void aCustomerWithoutAnAddressIsRecordedAsFailedAtOnceAndTheOrderHearsOfIt() {
		publish(orderId, new OrderConfirmed(orderId, customer, 100, "EUR"));

		JsonNode notification = await().atMost(DEADLINE).until(() -> ofOrder(orderId), this::allSettled).getFirst();
		JsonNode email = delivery(notification, "email");
		assertThat(email.get("status").asString()).isEqualTo("FAILED");
		assertThat(email.get("attempts").asInt()).isZero();
		assertThat(email.get("history").get(1).get("detail").asString()).startsWith("no_recipient");
		assertThat(delivery(notification, "in_app").get("status").asString()).isEqualTo("SENT");
		assertThat(events.await(orderId, 2)).contains(new NotificationFailed(orderId, "no_recipient"));
	}

	@Test
	void anotherSystemSendsOnceByIdempotencyKeyAndIsRefusedWhatCannotBeRendered() throws Exception {
		preferences(customer, Map.of("contacts", Map.of("email", customer + "@example.com")));
		Http service = Http.as(port, "shop");
		String key = UUID.randomUUID().toString();
		String body = Http.toJson(Map.of("recipient", customer, "template", "security-alert", "data",
				Map.of("event", "a new sign-in from <b>Lisbon</b>"), "channels", List.of("email", "in_app")));

		Http.Response first = service.post("/v1/notifications", body, Map.of("Idempotency-Key", key));
		Http.Response again = service.post("/v1/notifications", body, Map.of("Idempotency-Key", key));
		assertThat(first.status()).isEqualTo(202);
		assertThat(again.status()).isEqualTo(202);
		String id = first.json().get("id").asString();
		assertThat(again.json().get("id").asString()).isEqualTo(id);
		assertThat(first.json().get("deliveries").valueStream().map(d -> d.get("status").asString()))
			.containsOnly("QUEUED");
		JsonNode sent = await().atMost(DEADLINE).until(() -> service.get("/v1/notifications/" + id).json(), this::settled);
		assertThat(sent.get("priority").asString()).isEqualTo("critical");
		assertThat(delivery(sent, "email").get("body").asString()).contains("a new sign-in from <b>Lisbon</b>");
		List<MimeMessage> received = mailTo(customer + "@example.com");
		assertThat(received).hasSize(1);
		// Data is text: shown as written in the plain part, escaped in the HTML part.
		assertThat(text(received.getFirst())).contains("from <b>Lisbon</b>. If")
			.contains("from &lt;b&gt;Lisbon&lt;/b&gt;. If")
			.doesNotContain("<p>Security notice: a new sign-in from <b>");

		Http.Response unknown = service.post("/v1/notifications", Http.toJson(Map.of("recipient", customer, "template",
				"no-such-template", "data", Map.of())), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(unknown.status()).isEqualTo(422);
		assertThat(unknown.body()).contains("unknown-template");
		Http.Response lacking = service.post("/v1/notifications", Http.toJson(Map.of("recipient", customer, "template",
				"security-alert", "data", Map.of("place", "Lisbon"))), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(lacking.status()).isEqualTo(422);
		assertThat(lacking.header("Content-Type")).startsWith("application/problem+json");
		assertThat(lacking.json().get("missing").asString()).isEqualTo("event");
		assertThat(Http.as(port, "admin").get("/v1/notifications?recipient=" + customer).json().get("items")).hasSize(1);
	}

	@Test
	void quietHoursHoldAMessageUntilTheyEndAndCriticalOnesGoAtOnce() {
		ZoneId zone = ZoneId.of("America/New_York");
		LocalTime local = LocalTime.ofInstant(clock.instant(), zone);
		LocalTime start = local.minusHours(1).truncatedTo(ChronoUnit.MINUTES);
		LocalTime end = local.plusHours(2).truncatedTo(ChronoUnit.MINUTES);
		preferences(customer, Map.of("timeZone", zone.getId(), "quietHours", Map.of("start", start.toString(), "end",
				end.toString()), "contacts", Map.of("email", customer + "@example.com")));
		String promotion = send(customer, "promotion", Map.of("headline", "Mugs -20%", "text", "All week."), null);
		String alert = send(customer, "security-alert", Map.of("event", "password changed"), null);

		JsonNode held = await().atMost(DEADLINE)
			.until(() -> notification(promotion), n -> "HELD".equals(delivery(n, "email").get("status").asString()));
		JsonNode alerted = await().atMost(DEADLINE).until(() -> notification(alert), this::settled);
		assertThat(delivery(alerted, "email").get("status").asString()).isEqualTo("SENT");
		String detail = delivery(held, "email").get("history").get(1).get("detail").asString();
		assertThat(detail).contains(end.toString()).contains(zone.getId());
		assertThat(mailTo(customer + "@example.com")).hasSize(1);

		// Until the quiet hours end, the message stays held however often the workers look.
		clock.advance(Duration.ofMinutes(90));
		assertThat(delivery(notification(promotion), "email").get("status").asString()).isEqualTo("HELD");
		clock.advance(Duration.ofMinutes(31));
		JsonNode sent = await().atMost(DEADLINE).until(() -> notification(promotion), this::settled);
		assertThat(delivery(sent, "email").get("status").asString()).isEqualTo("SENT");
		assertThat(delivery(sent, "email").get("history").valueStream().map(h -> h.get("status").asString()))
			.containsExactly("QUEUED", "HELD", "SENT");
		assertThat(mailTo(customer + "@example.com")).hasSize(2);
	}

	@Test
	void optingOutAfterAMessageWasQueuedSuppressesIt() {
		ZoneId zone = ZoneId.of("Asia/Tokyo");
		LocalTime local = LocalTime.ofInstant(clock.instant(), zone);
		Map<String, Object> quiet = Map.of("start", local.minusHours(1).truncatedTo(ChronoUnit.MINUTES).toString(), "end",
				local.plusHours(1).truncatedTo(ChronoUnit.MINUTES).toString());
		preferences(customer, Map.of("timeZone", zone.getId(), "quietHours", quiet, "contacts",
				Map.of("email", customer + "@example.com")));
		String promotion = send(customer, "promotion", Map.of("headline", "Posters", "text", "New ones."), null);
		await().atMost(DEADLINE)
			.until(() -> notification(promotion), n -> "HELD".equals(delivery(n, "email").get("status").asString()));

		preferences(customer, Map.of("timeZone", zone.getId(), "quietHours", quiet, "contacts",
				Map.of("email", customer + "@example.com"), "optOut",
				List.of(Map.of("channel", "email", "category", "marketing"))));
		clock.advance(Duration.ofMinutes(61));

		JsonNode suppressed = await().atMost(DEADLINE).until(() -> notification(promotion), this::settled);
		JsonNode email = delivery(suppressed, "email");
		assertThat(email.get("status").asString()).isEqualTo("SUPPRESSED");
		assertThat(email.get("history").get(email.get("history").size() - 1).get("detail").asString()).isEqualTo("opted out of email for marketing");
		assertThat(delivery(suppressed, "in_app").get("status").asString()).isEqualTo("SENT");
		assertThat(mailTo(customer + "@example.com")).isEmpty();
	}

	@Test
	void preferencesAreTheCustomersOwnAndTransactionalEmailStays() {
		Http alice = Http.as(port, "alice");
		Http.Response put = alice.put("/v1/customers/alice/notification-preferences", Http.toJson(Map.of("timeZone",
				"Europe/Berlin", "locale", "de", "quietHours", Map.of("start", "22:00", "end", "07:00"), "contacts",
				Map.of("email", "alice@orderly.test", "phone", "+4915112345678", "pushTokens", List.of("device-token-1")),
				"optOut", List.of(Map.of("channel", "sms", "category", "marketing")))), Map.of());
		assertThat(put.status()).isEqualTo(200);
		JsonNode read = alice.get("/v1/customers/alice/notification-preferences").json();
		assertThat(read.get("quietHours").get("start").asString()).isEqualTo("22:00");
		assertThat(read.get("contacts").get("pushTokens").get(0).asString()).isEqualTo("device-token-1");
		assertThat(read.get("optOut").get(0).get("channel").asString()).isEqualTo("sms");

		Http.Response transactional = alice.put("/v1/customers/alice/notification-preferences", Http.toJson(Map.of(
				"optOut", List.of(Map.of("channel", "email", "category", "transactional")))), Map.of());
		assertThat(transactional.status()).isEqualTo(422);
		assertThat(transactional.header("Content-Type")).startsWith("application/problem+json");
		Http.Response zone = alice.put("/v1/customers/alice/notification-preferences",
				Http.toJson(Map.of("timeZone", "Mars/Olympus")), Map.of());
		assertThat(zone.status()).isEqualTo(422);
		Http.Response phone = alice.put("/v1/customers/alice/notification-preferences",
				Http.toJson(Map.of("contacts", Map.of("phone", "call me"))), Map.of());
		assertThat(phone.status()).isEqualTo(400);
		assertThat(alice.get("/v1/customers/alice/notification-preferences").json().get("locale").asString())
			.isEqualTo("de");
		assertThat(alice.get("/v1/customers/bob/notification-preferences").status()).isEqualTo(404);
		assertThat(Http.as(port, "operator").get("/v1/customers/alice/notification-preferences").status()).isEqualTo(200);
	}

	@Test
	void theFeedListsCountsUnreadAndPushesNewEntriesLive() throws Exception {
		String account = "bob";
		List<String> live = new CopyOnWriteArrayList<>();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/me/notifications"))
			.header("Authorization", "Bearer " + Tokens.of(port, account))
			.header("Accept", "text/event-stream")
			.build();
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<java.util.stream.Stream<String>> stream = client.send(request, HttpResponse.BodyHandlers.ofLines());
		assertThat(stream.statusCode()).isEqualTo(200);
		Thread reader = Thread.ofVirtual().start(() -> stream.body().forEach(live::add));
		try {
			await().atMost(DEADLINE).until(() -> live.contains("event:unread"));
			String id = send(account, "promotion", Map.of("headline", "Live " + customer, "text", "Now."),
					List.of("in_app"));
			await().atMost(DEADLINE).until(() -> live.stream().anyMatch(line -> line.contains("Live " + customer)));
			assertThat(live).contains("event:notification");

			JsonNode feed = Http.as(port, account).get("/v1/me/notifications").json();
			JsonNode entry = feed.get("items").get(0);
			assertThat(entry.get("title").asString()).isEqualTo("Live " + customer);
			long unread = feed.get("unread").asLong();
			assertThat(unread).isPositive();
			String entryId = delivery(notification(id), "in_app").get("id").asString();
			assertThat(entry.get("id").asString()).isEqualTo(entryId);
			assertThat(Http.as(port, account).post("/v1/me/notifications/" + entryId + "/read", "", Map.of()).status())
				.isEqualTo(204);
			assertThat(Http.as(port, account).post("/v1/me/notifications/" + entryId + "/read", "", Map.of()).status())
				.isEqualTo(204);
			assertThat(Http.as(port, account).get("/v1/me/notifications").json().get("unread").asLong())
				.isEqualTo(unread - 1);
			assertThat(Http.as(port, "alice").post("/v1/me/notifications/" + entryId + "/read", "", Map.of()).status())
				.isEqualTo(404);
		}
		finally {
			reader.interrupt();
			client.close();
		}
	}

	@Test
	void aPaymentWaitingIsToldOnceAfterTheDelayUnlessTheOrderSettlesFirst() {
		String settledOrder = "order-" + UUID.randomUUID();
		preferences(customer, Map.of("contacts", Map.of("email", customer + "@example.com")));
		for (String order : List.of(orderId, settledOrder)) {
			publish(order, new OrderPlaced(order, customer, List.of(new OrderPlaced.Line("MUG", 1, 1299)), 1299, "EUR"));
			publish(order, new PaymentPending(order, clock.instant().plus(Duration.ofMinutes(15))));
			publish(order, new PaymentPending(order, clock.instant().plus(Duration.ofMinutes(15))));
		}
		publish(settledOrder, new OrderConfirmed(settledOrder, customer, 1299, "EUR"));

		JsonNode waiting = await().atMost(DEADLINE).until(() -> ofOrder(orderId), list -> list.size() == 1).getFirst();
		assertThat(waiting.get("template").asString()).isEqualTo("payment-processing");
		assertThat(waiting.get("priority").asString()).isEqualTo("critical");
		List<JsonNode> settled = await().atMost(DEADLINE).until(() -> ofOrder(settledOrder),
				list -> list.size() == 2 && list.stream().allMatch(this::settled));
		JsonNode dropped = settled.stream()
			.filter(n -> n.get("template").asString().equals("payment-processing"))
			.findFirst()
			.orElseThrow();
		assertThat(deliveries(dropped)).allSatisfy(d -> assertThat(d.get("status").asString()).isEqualTo("SUPPRESSED"));
		assertThat(delivery(notification(waiting.get("id").asString()), "email").get("status").asString())
			.isEqualTo("QUEUED");

		clock.advance(Duration.ofMinutes(3));
		JsonNode told = await().atMost(DEADLINE).until(() -> notification(waiting.get("id").asString()), this::settled);
		assertThat(delivery(told, "email").get("status").asString()).isEqualTo("SENT");
		assertThat(mailTo(customer + "@example.com")).extracting(NotificationIntegrationTest::subjectOf)
			.containsExactlyInAnyOrder("We are processing your payment for order " + orderId,
					"Your order " + settledOrder + " is confirmed");
	}

	@Test
	void aDispatchIsToldToTheBuyerLearnedFromTheOrder() {
		preferences(customer, Map.of("contacts", Map.of("email", customer + "@example.com")));
		publish(orderId, new OrderPlaced(orderId, customer, List.of(new OrderPlaced.Line("MUG", 1, 1299)), 1299, "EUR"));
		publish(orderId, new ShipmentDispatched(orderId, "shipment-7"));

		JsonNode dispatched = await().atMost(DEADLINE).until(() -> ofOrder(orderId), this::allSettled).getFirst();
		assertThat(dispatched.get("recipient").asString()).isEqualTo(customer);
		assertThat(delivery(dispatched, "email").get("body").asString()).contains("shipment-7");
	}

	@Test
	void aCriticalMessageDoesNotWaitBehindThousandsOfMarketingOnes() {
		int marketing = 5_000;
		String campaign = "campaign-" + customer;
		transactions.executeWithoutResult(status -> jdbc.sql("""
				with n as (
				  insert into notification.notifications (id, event_key, recipient, template, template_version, locale,
				                                          priority, data, created_at)
				  select gen_random_uuid(), :campaign || ':' || i, :campaign || '-' || i, 'promotion', 1, 'en', 'MARKETING',
				         '{}'::jsonb, now()
				  from generate_series(1, :count) i returning id)
				insert into notification.notification_deliveries (id, notification_id, channel, priority, status, subject,
				                                                  body, next_attempt_at, updated_at)
				select gen_random_uuid(), id, 'IN_APP', 'MARKETING', 'QUEUED', 'Offer', 'Offer', now(), now() from n""")
			.param("campaign", campaign)
			.param("count", marketing)
			.update());
		String alert = send(customer, "security-alert", Map.of("event", "new device"), List.of("in_app"));

		await().atMost(DEADLINE).until(() -> notification(alert), this::settled);
		long marketingSent = jdbc.sql("""
				select count(*) from notification.notification_deliveries d
				join notification.notifications n on n.id = d.notification_id
				where n.event_key like :campaign || ':%' and d.status = 'SENT'""")
			.param("campaign", campaign)
			.query(Long.class)
			.single();
		assertThat(marketingSent).as("marketing sent before the critical message").isLessThan(marketing / 2);
		await().atMost(Duration.ofMinutes(2)).until(() -> jdbc.sql("""
				select count(*) from notification.notification_deliveries d
				join notification.notifications n on n.id = d.notification_id
				where n.event_key like :campaign || ':%' and d.status = 'QUEUED'""")
			.param("campaign", campaign)
			.query(Long.class)
			.single() == 0);
	}

	@Test
	void marketingGivesWayWhileTheApisCallersPressAndOtherMessagesDoNot() {
		preferences(customer, Map.of("timeZone", "UTC"));
		String offer;
		callers.press();
		try {
			offer = send(customer, "promotion", Map.of("headline", "Offer", "text", "Now."), List.of("in_app"));
			String alert = send(customer, "security-alert", Map.of("event", "new device"), List.of("in_app"));

			assertThat(delivery(await().atMost(DEADLINE).until(() -> notification(alert), this::settled), "in_app")
				.get("status").asString()).isEqualTo("SENT");
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
				.until(() -> delivery(notification(offer), "in_app").get("status").asString(), "QUEUED"::equals);
		}
		finally {
			callers.ease();
		}
		assertThat(delivery(await().atMost(DEADLINE).until(() -> notification(offer), this::settled), "in_app")
			.get("status").asString()).isEqualTo("SENT");
	}

	@Test
	void aBroadcastReachesEachRecipientOnceInTheirLanguageOnTheChannelsTheyHave() throws Exception {
		String english = customer + "-en";
		String german = customer + "-de";
		String appOnly = customer + "-app";
		preferences(english, Map.of("contacts", Map.of("email", english + "@example.com")));
		preferences(german, Map.of("locale", "de", "contacts", Map.of("email", german + "@example.com")));
		preferences(appOnly, Map.of("timeZone", "UTC"));
		Http operator = Http.as(port, "operator");
		String body = Http.toJson(Map.of("segment", Map.of("customers", List.of(english, german, appOnly)), "template",
				"promotion", "data", Map.of("headline", "Sale " + customer, "text", "Now."), "channels",
				List.of("email", "in_app")));
		String key = UUID.randomUUID().toString();

		Http.Response first = operator.post("/v1/notifications/broadcasts", body, Map.of("Idempotency-Key", key));
		Http.Response again = operator.post("/v1/notifications/broadcasts", body, Map.of("Idempotency-Key", key));
		assertThat(first.status()).as(first.body()).isEqualTo(202);
		String id = first.json().get("id").asString();
		assertThat(again.json().get("id").asString()).isEqualTo(id);
		assertThat(first.json().get("recipients").asInt()).isEqualTo(3);

		JsonNode done = await().atMost(DEADLINE).until(() -> operator.get("/v1/notifications/broadcasts/" + id).json(),
				b -> b.get("deliveries").path("email").path("SENT").asLong() == 2
						&& b.get("deliveries").path("in_app").path("SENT").asLong() == 3);
		assertThat(done.get("deliveries").get("email").size()).as("only SENT e-mails").isEqualTo(1);
		assertThat(done.get("queuedAt").isNull()).as("queued to the last recipient").isFalse();
		assertThat(text(mailTo(german + "@example.com").getFirst())).contains("Angebote abbestellen");
		assertThat(text(mailTo(english + "@example.com").getFirst())).contains("Unsubscribe from offers");
		JsonNode appOnlyNotifications = operator.get("/v1/notifications?recipient=" + appOnly).json().get("items");
		assertThat(appOnlyNotifications).hasSize(1);
		assertThat(channels(appOnlyNotifications.get(0))).containsExactly("in_app");

		Http.Response lacking = operator.post("/v1/notifications/broadcasts", Http.toJson(Map.of("segment",
				Map.of("customers", List.of(english)), "template", "promotion", "data", Map.of("headline", "No text"))),
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(lacking.status()).isEqualTo(422);
		assertThat(operator.get("/v1/notifications?recipient=" + english).json().get("items")).hasSize(1);
	}

	@Test
	void marketingReachesACustomerAtMostOnceAnHourAndTheRestGoInOneDigest() {
		preferences(customer, Map.of("contacts", Map.of("email", customer + "@example.com")));
		String first = send(customer, "promotion", Map.of("headline", "First offer", "text", "a"), List.of("email"));
		await().atMost(DEADLINE).until(() -> notification(first), this::settled);
		String second = send(customer, "promotion", Map.of("headline", "Second offer", "text", "b"), List.of("email"));
		String third = send(customer, "promotion", Map.of("headline", "Third offer", "text", "c"), List.of("email"));
		for (String held : List.of(second, third)) {
			JsonNode email = await().atMost(DEADLINE).until(() -> delivery(notification(held), "email"),
					d -> d.get("status").asString().equals("HELD"));
			assertThat(email.get("history").get(1).get("detail").asString()).startsWith("collected into a digest");
		}
		// A critical message never waits for a digest, even of a template that has one.
		Http.Response critical = Http.as(port, "operator").post("/v1/notifications", Http.toJson(Map.of("recipient",
				customer, "template", "promotion", "priority", "critical", "data", Map.of("headline", "Recall notice",
						"text", "d"), "channels", List.of("email"))), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		String alert = critical.json().get("id").asString();
		assertThat(delivery(await().atMost(DEADLINE).until(() -> notification(alert), this::settled), "email")
			.get("status").asString()).isEqualTo("SENT");
		assertThat(mailTo(customer + "@example.com")).hasSize(2);

		clock.advance(Duration.ofMinutes(61));
		JsonNode carried = await().atMost(DEADLINE).until(() -> delivery(notification(second), "email"),
				d -> d.get("status").asString().equals("SUPPRESSED"));
		String detail = carried.get("history").get(2).get("detail").asString();
		assertThat(detail).startsWith("carried by digest notification ");
		JsonNode digest = await().atMost(DEADLINE)
			.until(() -> notification(detail.substring("carried by digest notification ".length())), this::settled);
		assertThat(digest.get("template").asString()).isEqualTo("digest");
		assertThat(delivery(digest, "email").get("status").asString()).isEqualTo("SENT");
		assertThat(delivery(digest, "email").get("body").asString()).contains("- Second offer").contains("- Third offer")
			.doesNotContain("First offer");
		assertThat(delivery(notification(third), "email").get("status").asString()).isEqualTo("SUPPRESSED");
		assertThat(mailTo(customer + "@example.com")).extracting(NotificationIntegrationTest::subjectOf)
			.containsExactlyInAnyOrder("First offer", "Recall notice", "2 updates from Orderly");
	}

	private String send(String recipient, String template, Map<String, Object> data, List<String> channels) {
		Map<String, Object> body = new java.util.HashMap<>(Map.of("recipient", recipient, "template", template, "data", data));
		if (channels != null) {
			body.put("channels", channels);
		}
		Http.Response response = Http.as(port, "operator").post("/v1/notifications", Http.toJson(body),
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		return response.json().get("id").asString();
	}

	private void preferences(String customerId, Map<String, Object> preferences) {
		Http.Response response = Http.as(port, "operator").put("/v1/customers/" + customerId + "/notification-preferences",
				Http.toJson(preferences), Map.of());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}

	private void publish(String subject, Object event) {
		transactions.executeWithoutResult(status -> outbox.publish(subject, event));
	}

	private JsonNode notification(String id) {
		Http.Response response = Http.as(port, "operator").get("/v1/notifications/" + id);
		assertThat(response.status()).isEqualTo(200);
		return response.json();
	}

	private List<JsonNode> ofOrder(String order) {
		Http.Response response = Http.as(port, "operator").get("/v1/notifications?orderId=" + order);
		assertThat(response.status()).isEqualTo(200);
		return response.json().get("items").valueStream().toList();
	}

	private boolean settled(JsonNode notification) {
		return deliveries(notification).stream()
			.noneMatch(d -> List.of("QUEUED", "HELD").contains(d.get("status").asString()));
	}

	private boolean allSettled(List<JsonNode> notifications) {
		return !notifications.isEmpty() && notifications.stream().allMatch(this::settled);
	}

	private static List<JsonNode> deliveries(JsonNode notification) {
		return notification.get("deliveries").valueStream().toList();
	}

	private static List<String> channels(JsonNode notification) {
		return deliveries(notification).stream().map(d -> d.get("channel").asString()).toList();
	}

	private static JsonNode delivery(JsonNode notification, String channel) {
		return deliveries(notification).stream()
			.filter(d -> d.get("channel").asString().equals(channel))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + channel + " delivery in " + notification));
	}

	private List<MimeMessage> mailTo(String address) {
		List<MimeMessage> to = new ArrayList<>();
		for (MimeMessage message : mail.received()) {
			try {
				if (Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equals(address))) {
					to.add(message);
				}
			}
			catch (jakarta.mail.MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return to;
	}

	private static String subjectOf(MimeMessage message) {
		try {
			return message.getSubject();
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Every text part of the message (plain and HTML), joined. */
	private static String text(MimeMessage message) throws Exception {
		StringBuilder text = new StringBuilder();
		collect(message.getContent(), text);
		return text.toString();
	}

	private static void collect(Object content, StringBuilder text) throws Exception {
		if (content instanceof MimeMultipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				collect(multipart.getBodyPart(i).getContent(), text);
			}
		}
		else {
			text.append(content).append('\n');
		}
	}
}
