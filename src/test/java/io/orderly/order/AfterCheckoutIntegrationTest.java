package io.orderly.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import io.orderly.platform.MutableClock;
import io.orderly.platform.webhooks.WebhookSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An order's life after checkout, over HTTP with every module in one process and the PSP
 * simulator over real HTTP: refunds an operator gives (once, never more than captured, through
 * an outage), returns (window, quantities, restock, the refund for what came back), and the
 * order's lock between a cancel and a refund. Every money figure is checked against the PSP's
 * own records and the ledger.
 */
@IntegrationTest
@Import(CheckoutTestConfiguration.class)
@TestPropertySource(properties = { "orderly.shipping.carrier.delivery-after=0s", "orderly.shipping.carrier.retry-after=1s",
		"orderly.shipping.carrier.lost-report-rate=0.5", "orderly.shipping.carrier.duplicate-report-rate=0.5",
		"orderly.shipping.carrier.webhook-secret=" + AfterCheckoutIntegrationTest.CARRIER_SECRET })
class AfterCheckoutIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	static final String CARRIER_SECRET = "test-carrier-secret";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	OrderManagement orders;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	JdbcClient jdbc;

	private final String customer = "c-" + UUID.randomUUID();

	private Shop shop;

	private Shop shop() {
		if (shop == null) {
			shop = new Shop(port);
		}
		return shop;
	}

	@AfterEach
	void resetFaults() {
		shop().resetPspFaults();
	}

	@Test
	void anOperatorsRefundIsMadeOnceAndNeverPassesWhatWasCaptured() {
		String id = confirmed(shop().product(1299, 10), "2");
		String key = UUID.randomUUID().toString();

		Http.Response refund = refund(id, 500, "goodwill", key);
		assertThat(refund.status()).as(refund.body()).isEqualTo(202);
		assertThat(refund.json().get("status").asString()).isEqualTo("REQUESTED");
		Http.Response again = refund(id, 500, "goodwill", key);
		assertThat(again.json().get("id").asString()).isEqualTo(refund.json().get("id").asString());

		await().atMost(DEADLINE).until(() -> shop().get(id).get("refundedMinor").asLong() == 500);
		JsonNode order = shop().get(id);
		assertThat(order.get("refunds")).hasSize(1);
		assertThat(order.get("refunds").get(0).get("status").asString()).isEqualTo("REFUNDED");
		assertThat(pspRefunded(id)).isEqualTo(500);
		assertThat(receivable(id)).isEqualTo(2598 - 500);

		Http.Response tooMuch = refund(id, 2099, "goodwill", UUID.randomUUID().toString());
		assertThat(tooMuch.status()).as(tooMuch.body()).isEqualTo(409);
		assertThat(tooMuch.body()).contains("refund-exceeds-captured", "2098");
		assertThat(refund(id, 2098, "goodwill", UUID.randomUUID().toString()).status()).isEqualTo(202);
		await().atMost(DEADLINE).until(() -> shop().get(id).get("refundedMinor").asLong() == 2598);
		assertThat(pspRefunded(id)).isEqualTo(2598);
		assertThat(receivable(id)).isZero();
		assertThat(shop().http.get("/v1/orders/" + id + "/timeline").body()).contains("REFUND_REQUESTED", "REFUNDED");
		assertThat(refund(id, 1, "goodwill", UUID.randomUUID().toString()).status()).isEqualTo(409);
	}

	@Test
	void refundsAskedAtOnceNeverAddUpToMoreThanWasCaptured() throws Exception {
		String id = confirmed(shop().product(1000, 10), "1");
		int accepted = 0;
		try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				answers.add(pool.submit(() -> {
					start.await();
					return refund(id, 300, "goodwill", UUID.randomUUID().toString()).status();
				}));
			}
			start.countDown();
			for (Future<Integer> answer : answers) {
				int status = answer.get();
				assertThat(status).isIn(202, 409);
				accepted += status == 202 ? 1 : 0;
			}
		}
		assertThat(accepted).isEqualTo(3);
		await().atMost(DEADLINE).until(() -> shop().get(id).get("refundedMinor").asLong() == 900);
		assertThat(pspRefunded(id)).isEqualTo(900);
		assertThat(receivable(id)).isEqualTo(100);
		assertThat(reconciliationMismatches(id)).isEmpty();
	}

	/**
	 * The lock itself, without relying on timing: a refund decided in a transaction held open
	 * makes a second refund of the same order wait for it, and then see it (409: only 400 is
	 * left). Without the lock the second would read the first as not there and both would pass.
	 */
	@Test
	void aRefundIsDecidedUnderTheOrdersLock() throws Exception {
		String id = confirmed(shop().product(1000, 10), "1");
		try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
			Future<Http.Response> second = transactions.execute(status -> {
				orders.refund(id, 600, "goodwill", "test");
				long holder = jdbc.sql("select pg_backend_pid()").query(Long.class).single();
				Future<Http.Response> other = pool.submit(() -> refund(id, 600, "goodwill", UUID.randomUUID().toString()));
				await().atMost(DEADLINE).until(() -> other.isDone() || waitingFor(holder));
				return other;
			});
			Http.Response refused = second.get();
			assertThat(refused.status()).as("the second refund waited for the first and found 400 left").isEqualTo(409);
			assertThat(refused.body()).contains("refund-exceeds-captured");
		}
		await().atMost(DEADLINE).until(() -> shop().get(id).get("refundedMinor").asLong() == 600);
		assertThat(pspRefunded(id)).isEqualTo(600);
	}

	/** Whether a session waits for a lock the session {@code holder} holds. */
	private boolean waitingFor(long holder) {
		return jdbc.sql("select count(*) from pg_stat_activity where :holder = any(pg_blocking_pids(pid))")
			.param("holder", holder)
			.query(Long.class)
			.single() > 0;
	}

	@Test
	void aRefundWaitsThroughAProviderOutageAndHappensOnce() {
		String id = confirmed(shop().product(800, 10), "1");
		shop().pspFaults("{\"lostResponseRate\": 1.0}");
		assertThat(refund(id, 400, "goodwill", UUID.randomUUID().toString()).status()).isEqualTo(202);
		// Done by the provider, the answer lost, asked again, lost again: still waiting.
		await().atMost(DEADLINE).until(() -> paymentRefunds(id).get(0).get("attempts").asInt() >= 2);
		assertThat(shop().get(id).get("refunds").get(0).get("status").asString()).isEqualTo("REQUESTED");
		Http.Response cancel = shop().http.post("/v1/orders/" + id + "/cancel", "", Map.of());
		assertThat(cancel.status()).as("no cancel while a refund is being made: %s", cancel.body()).isEqualTo(409);
		assertThat(cancel.body()).contains("refund-in-progress");
		shop().pspFaults("{\"down\": true}");
		int attempts = paymentRefunds(id).get(0).get("attempts").asInt();
		await().atMost(DEADLINE).until(() -> paymentRefunds(id).get(0).get("attempts").asInt() > attempts);
		shop().resetPspFaults();

		await().atMost(DEADLINE).until(() -> shop().get(id).get("refundedMinor").asLong() == 400);
		assertThat(pspRefunded(id)).isEqualTo(400);
		assertThat(receivable(id)).isEqualTo(400);
		assertThat(reconciliationMismatches(id)).isEmpty();
	}

	@Test
	void aReturnIsWithinTheWindowForWhatWasBoughtOnceAndRefundsWhatCameBack() {
		String a = shop().product(1000, 10);
		String b = shop().product(500, 10);
		String id = confirmed(a, "4", b, "1");
		assertThat(returnOf(id, a, 1).status()).as("not dispatched yet").isEqualTo(409);
		assertThat(shop().http.post("/v1/admin/shipments/" + id + "/dispatch", "", Map.of()).status()).isEqualTo(200);
		await().atMost(DEADLINE).until(() -> !shop().get(id).get("dispatchedAt").isNull());

		Http.Response first = returnOf(id, a, 2);
		assertThat(first.status()).as(first.body()).isEqualTo(201);
		assertThat(first.json().get("status").asString()).isEqualTo("REQUESTED");
		Http.Response tooMany = returnOf(id, a, 3);
		assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(409);
		assertThat(tooMany.body()).contains("return-exceeds-bought");
		assertThat(returnOf(id, "SKU-NOT-BOUGHT", 1).status()).isEqualTo(409);
		Http.Response second = returnOf(id, a, 1, b, 1);
		assertThat(second.status()).as(second.body()).isEqualTo(201);

		long onHand = shop().stock(a).get("onHand").asLong();
		String firstId = first.json().get("id").asString();
		Http.Response received = receive(id, firstId, "[{\"sku\": \"" + a + "\", \"quantity\": 2, \"restock\": true}]");
		assertThat(received.status()).as(received.body()).isEqualTo(200);
		assertThat(received.json().get("status").asString()).isEqualTo("RECEIVED");
		assertThat(receive(id, firstId, "[]").status()).as("received once").isEqualTo(409);
		await().atMost(DEADLINE).until(() -> shop().get(id).get("refundedMinor").asLong() == 2000);
		await().atMost(DEADLINE).until(() -> shop().stock(a).get("onHand").asLong() == onHand + 2);

		// The second parcel: one unit of a, damaged (not restocked); b never arrived.
		String secondId = second.json().get("id").asString();
		Http.Response more = receive(id, secondId, "[{\"sku\": \"" + a + "\", \"quantity\": 2, \"restock\": false}]");
		assertThat(more.status()).as("more than the return asks for").isEqualTo(422);
		assertThat(receive(id, secondId, "[{\"sku\": \"" + a + "\", \"quantity\": 1, \"restock\": false}]").status())
			.isEqualTo(200);
		await().atMost(DEADLINE).until(() -> shop().get(id).get("refundedMinor").asLong() == 3000);
		assertThat(pspRefunded(id)).isEqualTo(3000);
		assertThat(receivable(id)).isEqualTo(4500 - 3000);
		assertThat(shop().stock(a).get("onHand").asLong()).isEqualTo(onHand + 2);
		JsonNode order = shop().get(id);
		assertThat(order.get("returns")).hasSize(2);
		assertThat(order.get("returns").get(1).get("lines").toString()).contains("\"receivedQuantity\":0");
		assertThat(shop().http.get("/v1/orders/" + id + "/timeline").body()).contains("RETURN_REQUESTED",
				"RETURN_RECEIVED", "DISPATCHED");

		clock.advance(Duration.ofDays(31));
		Http.Response late = returnOf(id, b, 0 + 1);
		assertThat(late.status()).as(late.body()).isEqualTo(422);
		assertThat(late.body()).contains("return-window-closed");
	}

	/**
	 * A cancel and a refund of the same confirmed order at the same instant, many times with
	 * random timing: one decides first under the order's lock. Either the refund waits for the
	 * provider and the cancel is refused (409), or the cancel runs and the refund is refused,
	 * or the refund was done before the cancel, which then refunds the rest. Never more refunded
	 * than captured, and a cancelled order is refunded in full.
	 */
	@Test
	void aCancelAndARefundAtOnceNeverGiveBackMoreThanWasCaptured() throws Exception {
		String sku = shop().product(1000, 100);
		Random random = new Random();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			ids.add(confirmed(sku, "1"));
		}
		try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
			for (String id : ids) {
				long cancelDelay = random.nextInt(20_000_000);
				long refundDelay = random.nextInt(20_000_000);
				Future<Integer> cancel = pool.submit(() -> {
					LockSupport.parkNanos(cancelDelay);
					return shop().http.post("/v1/orders/" + id + "/cancel", "", Map.of()).status();
				});
				Future<Integer> refund = pool.submit(() -> {
					LockSupport.parkNanos(refundDelay);
					return refund(id, 300, "goodwill", UUID.randomUUID().toString()).status();
				});
				assertThat(cancel.get()).isIn(202, 409);
				assertThat(refund.get()).isIn(202, 409);
			}
		}
		int cancelled = 0;
		for (String id : ids) {
			await().atMost(DEADLINE).until(() -> settled(shop().get(id)));
			JsonNode order = shop().get(id);
			long refunded = pspRefunded(id);
			assertThat(refunded).as("order %s", id).isLessThanOrEqualTo(1000);
			if (order.get("status").asString().equals("CANCELLED")) {
				assertThat(refunded).as("a cancelled order %s is refunded in full", id).isEqualTo(1000);
				cancelled++;
			}
			else {
				assertThat(refunded).isEqualTo(300);
			}
			assertThat(order.get("refundedMinor").asLong()).isEqualTo(refunded);
			assertThat(receivable(id)).isEqualTo(1000 - refunded);
			for (JsonNode named : order.get("refunds")) {
				assertThat(named.get("status").asString()).as("a refund accepted is made: %s", named).isEqualTo("REFUNDED");
			}
		}
		System.out.printf("cancel vs refund: %d of %d orders cancelled (refunded in full), the others refunded 300%n",
				cancelled, ids.size());
	}

	/**
	 * The carrier reports a dispatched parcel delivered by a signed webhook, losing half its
	 * reports and sending half twice: the order shows deliveredAt and its timeline DELIVERED once.
	 * A report with a wrong signature changes nothing; nor does one for a parcel that has not left.
	 */
	@Test
	void theCarriersSignedReportMakesADispatchedOrderDeliveredOnce() {
		String sku = shop().product(700, 10);
		String id = confirmed(sku, "1");
		String waiting = confirmed(sku, "1");
		assertThat(shop().http.post("/v1/admin/shipments/" + id + "/dispatch", "", Map.of()).status()).isEqualTo(200);

		await().atMost(DEADLINE).until(() -> !shop().get(id).get("deliveredAt").isNull());
		assertThat(shop().http.get("/v1/admin/shipments/" + id).json().get("state").asString()).isEqualTo("DELIVERED");
		String timeline = shop().http.get("/v1/orders/" + id + "/timeline").body();
		assertThat(timeline.split("\"DELIVERED\"", -1)).as(timeline).hasSize(2);
		assertThat(shop().http.post("/v1/orders/" + id + "/cancel", "", Map.of()).status()).isEqualTo(409);

		String shipment = shop().http.get("/v1/admin/shipments/" + waiting).json().get("shipmentId").asString();
		String report = """
				{"id": "evt_forged", "type": "shipment.delivered", "shipmentId": "%s", "orderId": "%s",
				 "deliveredAt": "2026-01-01T00:00:00Z"}""".formatted(shipment, waiting);
		long now = clock.instant().getEpochSecond();
		Http.Response forged = Http.anonymous(port).post("/v1/webhooks/carrier", report,
				Map.of("Carrier-Signature", WebhookSignature.sign("not-the-secret", now, report)));
		assertThat(forged.status()).as(forged.body()).isEqualTo(401);
		assertThat(forged.body()).contains("invalid-signature");
		Http.Response early = Http.anonymous(port).post("/v1/webhooks/carrier", report,
				Map.of("Carrier-Signature", WebhookSignature.sign(CARRIER_SECRET, now, report)));
		assertThat(early.status()).as(early.body()).isEqualTo(200);
		assertThat(early.json().get("outcome").asString()).isEqualTo("DUPLICATE");
		assertThat(shop().http.get("/v1/admin/shipments/" + waiting).json().get("state").asString()).isEqualTo("CREATED");
		assertThat(shop().get(waiting).get("deliveredAt").isNull()).isTrue();
		String future = report.replace("2026-01-01T00:00:00Z", clock.instant().plus(Duration.ofDays(3)).toString());
		Http.Response fromTheFuture = Http.anonymous(port).post("/v1/webhooks/carrier", future,
				Map.of("Carrier-Signature", WebhookSignature.sign(CARRIER_SECRET, now, future)));
		assertThat(fromTheFuture.status()).as(fromTheFuture.body()).isEqualTo(400);
	}

	/**
	 * An address change and the warehouse's dispatch at the same instant, many times with random
	 * timing: exactly one wins. A change that answered 200 was made before the parcel left, which
	 * left with it; one that came after got 409 and changed nothing.
	 */
	@Test
	void anAddressChangeAndADispatchAtOnceAreDecidedOnce() throws Exception {
		String sku = shop().product(300, 100);
		Random random = new Random();
		int changed = 0;
		try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
			for (int i = 0; i < 16; i++) {
				String id = confirmed(sku, "1");
				String city = "City-" + i;
				long editDelay = random.nextInt(20_000_000);
				long dispatchDelay = random.nextInt(20_000_000);
				Future<Http.Response> edit = pool.submit(() -> {
					LockSupport.parkNanos(editDelay);
					return shop().http.put("/v1/orders/" + id + "/shipping-address", """
							{"name": "Ada Lovelace", "line1": "2 New St", "city": "%s", "postalCode": "20095", "country": "DE"}"""
						.formatted(city), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
				});
				Future<Integer> dispatch = pool.submit(() -> {
					LockSupport.parkNanos(dispatchDelay);
					return shop().http.post("/v1/admin/shipments/" + id + "/dispatch", "", Map.of()).status();
				});
				Http.Response edited = edit.get();
				assertThat(dispatch.get()).isEqualTo(200);
				JsonNode shipment = shop().http.get("/v1/admin/shipments/" + id).json();
				if (edited.status() == 200) {
					changed++;
					assertThat(edited.json().get("shippingAddress").get("city").asString()).isEqualTo(city);
					assertThat(shipment.get("labelAddress").get("city").asString())
						.as("changed before the parcel left, which left for the new address").isEqualTo(city);
				}
				else {
					assertThat(edited.status()).as(edited.body()).isEqualTo(409);
					assertThat(edited.body()).contains("already-dispatched");
					assertThat(shipment.get("address").get("city").asString()).isEqualTo("Berlin");
					assertThat(shipment.get("labelAddress").get("city").asString()).isEqualTo("Berlin");
					assertThat(shop().get(id).get("shippingAddress").get("city").asString()).isEqualTo("Berlin");
				}
			}
		}
		System.out.printf("address vs dispatch: %d of 16 changes made before the dispatch, the others refused%n", changed);
	}

	@Test
	void aLineRemovedBeforeDispatchGoesBackOnSaleAndIsRefundedOnce() {
		String a = shop().product(1000, 10);
		String b = shop().product(500, 10);
		String id = confirmed(a, "2", b, "1");
		long onHand = shop().stock(b).get("onHand").asLong();

		Http.Response removed = removeLine(id, b);
		assertThat(removed.status()).as(removed.body()).isEqualTo(200);
		assertThat(removed.json().get("items")).hasSize(1);
		assertThat(removed.json().get("items").get(0).get("sku").asString()).isEqualTo(a);
		assertThat(shop().http.get("/v1/admin/shipments/" + id).json().get("items").toString()).contains(a)
			.doesNotContain(b);
		assertThat(removeLine(id, b).status()).as("not there any more").isEqualTo(404);
		assertThat(removeLine(id, a).status()).as("the last line: cancel instead").isEqualTo(409);
		await().atMost(DEADLINE).until(() -> shop().get(id).get("refundedMinor").asLong() == 500);
		await().atMost(DEADLINE).until(() -> shop().stock(b).get("onHand").asLong() == onHand + 1);
		assertThat(pspRefunded(id)).isEqualTo(500);
		assertThat(receivable(id)).isEqualTo(2000);
		long aOnHand = shop().stock(a).get("onHand").asLong();
		assertThat(shop().http.post("/v1/orders/" + id + "/cancel", "", Map.of()).status()).isEqualTo(202);
		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CANCELLED"));
		await().atMost(DEADLINE).until(() -> shop().stock(a).get("onHand").asLong() == aOnHand + 2);
		assertThat(shop().stock(b).get("onHand").asLong()).as("the removed line's unit came back once").isEqualTo(onHand + 1);
		assertThat(pspRefunded(id)).isEqualTo(2500);
		assertThat(shop().get(id).get("refundedMinor").asLong()).isEqualTo(2500);

		String shipped = confirmed(a, "1", b, "1");
		assertThat(shop().http.post("/v1/admin/shipments/" + shipped + "/dispatch", "", Map.of()).status()).isEqualTo(200);
		Http.Response late = removeLine(shipped, b);
		assertThat(late.status()).as(late.body()).isEqualTo(409);
		assertThat(late.body()).contains("already-dispatched");
		assertThat(shop().get(shipped).get("items")).hasSize(2);
	}

	private Http.Response removeLine(String orderId, String sku) {
		return shop().http.delete("/v1/orders/" + orderId + "/items/" + sku, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
	}

	/**
	 * A returned parcel received and a goodwill refund of the same order at the same instant,
	 * many times with random timing: one decides first under the order's lock, and the other
	 * gets what is left (the return's refund is cut to it; the goodwill refund is refused when it
	 * does not fit). Never more refunded than captured, by the PSP's records.
	 */
	@Test
	void aReturnsRefundAndAGoodwillRefundAtOnceNeverPassWhatWasCaptured() throws Exception {
		String sku = shop().product(500, 100);
		Random random = new Random();
		try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
			for (int i = 0; i < 8; i++) {
				String id = confirmed(sku, "2");
				assertThat(shop().http.post("/v1/admin/shipments/" + id + "/dispatch", "", Map.of()).status()).isEqualTo(200);
				await().atMost(DEADLINE).until(() -> !shop().get(id).get("dispatchedAt").isNull());
				String returnId = returnOf(id, sku, 2).json().get("id").asString();
				long receiveDelay = random.nextInt(20_000_000);
				long refundDelay = random.nextInt(20_000_000);
				Future<Integer> received = pool.submit(() -> {
					LockSupport.parkNanos(receiveDelay);
					return receive(id, returnId, "[{\"sku\": \"" + sku + "\", \"quantity\": 2, \"restock\": true}]").status();
				});
				Future<Integer> goodwill = pool.submit(() -> {
					LockSupport.parkNanos(refundDelay);
					return refund(id, 600, "goodwill", UUID.randomUUID().toString()).status();
				});
				assertThat(received.get()).isEqualTo(200);
				assertThat(goodwill.get()).isIn(202, 409);
				await().atMost(DEADLINE).until(() -> settled(shop().get(id)));
				assertThat(shop().get(id).get("refundedMinor").asLong()).isEqualTo(1000);
				assertThat(pspRefunded(id)).isEqualTo(1000);
				assertThat(receivable(id)).isZero();
			}
		}
	}

	/**
	 * A customer follows a confirmed order on (follow=after-checkout): the dispatch and the
	 * delivery arrive live, as progress entries and a status event carrying deliveredAt, and the
	 * stream ends once the order is delivered with nothing open. Without it, the stream of a
	 * confirmed order ends at once, as the contract says.
	 */
	@Test
	void aConfirmedOrderIsFollowedOnUntilItIsDelivered() throws Exception {
		String id = confirmed(shop().product(400, 10), "1");
		assertThat(readStream(id, "").get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).contains("event:status")
			.doesNotContain("DISPATCHED");

		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<String> following = readStream(id, "?follow=after-checkout", lines);
		await().atMost(DEADLINE).until(() -> lines.stream().anyMatch(line -> line.startsWith("event:status")));
		assertThat(following).isNotDone();
		assertThat(shop().http.post("/v1/admin/shipments/" + id + "/dispatch", "", Map.of()).status()).isEqualTo(200);

		String stream = following.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
		assertThat(stream).contains("\"kind\":\"DISPATCHED\"", "\"kind\":\"DELIVERED\"");
		String lastStatus = lines.stream().filter(line -> line.startsWith("data:") && line.contains("\"status\":\"CONFIRMED\""))
			.reduce((first, second) -> second)
			.orElseThrow();
		assertThat(lastStatus).contains("\"deliveredAt\":\"");
		assertThat(shop().http.get("/v1/orders/" + id + "/events?follow=forever").status()).isEqualTo(400);
	}

	private CompletableFuture<String> readStream(String orderId, String query) throws Exception {
		return readStream(orderId, query, new CopyOnWriteArrayList<>());
	}

	/** The order's event stream, each line into {@code lines} as it arrives; the whole text once the server ends it. */
	private CompletableFuture<String> readStream(String orderId, String query, List<String> lines) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/orders/" + orderId + "/events" + query))
			.header("Authorization", "Bearer " + Tokens.of(port, "admin"))
			.header("Accept", "text/event-stream")
			.build();
		HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
			.send(request, HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		return CompletableFuture.supplyAsync(() -> {
			response.body().forEach(lines::add);
			return String.join("\n", lines);
		});
	}

	private boolean settled(JsonNode order) {
		String progress = order.get("progress").asString();
		boolean refundsDone = true;
		for (JsonNode refund : order.get("refunds")) {
			refundsDone &= !refund.get("status").asString().equals("REQUESTED");
		}
		return refundsDone && (progress.equals("completed") || progress.equals("compensated"));
	}

	private String confirmed(String... skuAndQuantity) {
		Http.Response accepted = shop().place(Shop.order(customer, "tok_ok", skuAndQuantity));
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		String id = accepted.json().get("id").asString();
		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CONFIRMED"));
		return id;
	}

	private Http.Response refund(String orderId, long amountMinor, String reason, String key) {
		return shop().http.post("/v1/orders/" + orderId + "/refunds",
				"{\"amountMinor\": " + amountMinor + ", \"reason\": \"" + reason + "\"}", Map.of("Idempotency-Key", key));
	}

	private Http.Response returnOf(String orderId, Object... skuAndQuantity) {
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < skuAndQuantity.length; i += 2) {
			lines.add("{\"sku\": \"" + skuAndQuantity[i] + "\", \"quantity\": " + skuAndQuantity[i + 1] + "}");
		}
		return shop().http.post("/v1/orders/" + orderId + "/returns",
				"{\"lines\": [" + String.join(", ", lines) + "], \"reason\": \"does not fit\"}",
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
	}

	private Http.Response receive(String orderId, String returnId, String lines) {
		return shop().http.post("/v1/orders/" + orderId + "/returns/" + returnId + "/receive", "{\"lines\": " + lines + "}",
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
	}

	/** What the PSP itself gave back for the order. */
	private long pspRefunded(String orderId) {
		long refunded = 0;
		for (JsonNode charge : shop().charges(orderId)) {
			refunded += charge.get("refundedMinor").asLong();
		}
		return refunded;
	}

	/** What the ledger says the PSP still owes us for the order. */
	private long receivable(String orderId) {
		return shop().http.get("/v1/admin/payments/" + orderId).json().get("balances").get("psp_receivable").asLong();
	}

	private JsonNode paymentRefunds(String orderId) {
		return shop().http.get("/v1/admin/payments/" + orderId).json().get("refunds");
	}

	private List<String> reconciliationMismatches(String orderId) {
		List<String> found = new ArrayList<>();
		for (JsonNode mismatch : shop().http.post("/v1/admin/payments/reconciliation", "", Map.of()).json().get("mismatches")) {
			if (mismatch.get("orderId").asString().equals(orderId)) {
				found.add(mismatch.toString());
			}
		}
		return found;
	}
}
