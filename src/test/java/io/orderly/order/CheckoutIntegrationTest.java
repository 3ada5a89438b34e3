package io.orderly.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.platform.MutableClock;
import io.orderly.platform.messaging.Outbox;
import io.orderly.payment.CapturePayment;
import io.orderly.payment.PaymentAuthorized;
import org.junit.jupiter.api.AfterEach;
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
 * The checkout end to end over HTTP, every module in one process, the PSP simulator over
 * real HTTP. Guarantees 1 (no oversell), 2 (no double charge, checked against the PSP's own
 * records), 3 (no lost order), 6 (idempotent API) and 7 (balanced ledger).
 */
@IntegrationTest
@Import(CheckoutTestConfiguration.class)
@TestPropertySource(properties = { "orderly.saga.max-compensation-attempts=3",
		"orderly.saga.compensation-backoff-base=1s", "orderly.saga.compensation-backoff-max=2s" })
class CheckoutIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

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
		shop().http.put("/v1/admin/shipping/faults", "{\"failCancellations\": false}", Map.of());
	}

	@Test
	void confirmsAnOrderAndChargesItsTotalOnce() {
		String sku = shop().product(1299, 10);
		Http.Response accepted = shop().place(Shop.order(customer, "tok_ok", sku, "2"));

		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		assertThat(accepted.header("Location")).isEqualTo("/v1/orders/" + accepted.json().get("id").asString());
		assertThat(accepted.json().get("status").asString()).isEqualTo("PENDING");
		assertThat(accepted.json().get("totalMinor").asLong()).isEqualTo(2598);
		String id = accepted.json().get("id").asString();

		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CONFIRMED"));
		assertThat(shop().captured(id)).isEqualTo(2598);
		JsonNode stock = shop().stock(sku);
		assertThat(stock.get("onHand").asInt()).isEqualTo(8);
		assertThat(stock.get("reserved").asInt()).isZero();
		JsonNode timeline = shop().http.get("/v1/orders/" + id + "/timeline").json().get("entries");
		assertThat(timeline.toString()).contains("reserve-stock", "authorize-payment", "create-shipment",
				"capture-payment", "commit-stock", "COMPLETED");
	}

	@Test
	void neverSellsMoreThanTheStockWhenManyOrderAtOnce() throws Exception {
		String sku = shop().product(500, 20);
		List<String> ids = placeConcurrently(60, i -> Shop.order(customer, "tok_ok", sku, "1"));

		await().atMost(DEADLINE).until(() -> ids.stream().allMatch(id -> !shop().status(id).equals("PENDING")));
		long confirmed = ids.stream().filter(id -> shop().status(id).equals("CONFIRMED")).count();
		assertThat(confirmed).isEqualTo(20);
		assertThat(ids.stream().filter(id -> shop().status(id).equals("CANCELLED")))
			.allSatisfy(id -> assertThat(shop().get(id).get("cancellationReason").asString()).isEqualTo("out_of_stock"));
		JsonNode stock = shop().stock(sku);
		assertThat(stock.get("onHand").asInt()).isZero();
		assertThat(stock.get("reserved").asInt()).isZero();
		assertThat(ids.stream().mapToLong(id -> shop().captured(id)).sum()).isEqualTo(20 * 500);
	}

	@Test
	void cancelsADeclinedOrderAndReturnsItsStock() {
		String sku = shop().product(700, 5);
		String declined = shop().place(Shop.order(customer, "tok_declined", sku, "3")).json().get("id").asString();
		String poor = shop().place(Shop.order(customer, "tok_insufficient_funds", sku, "1")).json().get("id").asString();

		await().atMost(DEADLINE).until(() -> shop().status(declined).equals("CANCELLED") && shop().status(poor).equals("CANCELLED"));
		assertThat(shop().get(declined).get("cancellationReason").asString()).isEqualTo("payment_declined");
		assertThat(shop().get(poor).get("cancellationReason").asString()).isEqualTo("insufficient_funds");
		await().atMost(DEADLINE).until(() -> shop().stock(sku).get("available").asInt() == 5);
		assertThat(shop().captured(declined) + shop().captured(poor)).isZero();
	}

	@Test
	void compensatesWhenAStepMissesItsDeadlineAndVoidsTheAuthorizationThatArrivesLate() {
		String sku = shop().product(900, 5);
		shop().pspFaults("{\"latencyMs\": 3000}");
		String id = shop().place(Shop.order(customer, "tok_ok", sku, "1")).json().get("id").asString();
		await().atMost(DEADLINE).until(() -> "authorize-payment".equals(shop().get(id).get("progress").asString()));

		// Past the authorize step's deadline (20 minutes: longer than an outage may hold an order).
		clock.advance(Duration.ofMinutes(21));
		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CANCELLED"));
		assertThat(shop().get(id).get("cancellationReason").asString()).isEqualTo("timeout");
		// The authorization the PSP granted after the saga gave up was voided, not captured.
		await().atMost(DEADLINE).until(() -> {
			JsonNode charges = shop().charges(id);
			return charges.size() == 1 && charges.get(0).get("status").asString().equals("VOIDED");
		});
		assertThat(shop().captured(id)).isZero();
		assertThat(shop().stock(sku).get("available").asInt()).isEqualTo(5);
		// The authorization's answer came after the payment was cancelled: not recorded, nor replied;
		// the payment watch found and voided it.
		assertThat(shop().http.get("/v1/orders/" + id + "/timeline").body()).contains("TIMEOUT");
	}

	@Test
	void duplicateAndLateRepliesChangeNothingTwice() {
		String sku = shop().product(1000, 5);
		String id = shop().place(Shop.order(customer, "tok_ok", sku, "1")).json().get("id").asString();
		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CONFIRMED"));

		transactions.executeWithoutResult(status -> {
			outbox.publish(id, new PaymentAuthorized(id, "late-payment", 1000, "EUR"));
			outbox.publish(id, new CapturePayment(id));
			outbox.publish(id, new CapturePayment(id));
		});
		await().atMost(DEADLINE).until(() -> shop().http.get("/v1/orders/" + id + "/timeline").body().contains("LATE_REPLY"));
		await().atMost(DEADLINE).until(() -> jdbc.sql("select count(*) from platform.subscriptions s where s.position < (select position from platform.log_head)")
			.query(Long.class).single() == 0);
		assertThat(shop().status(id)).isEqualTo("CONFIRMED");
		assertThat(shop().captured(id)).isEqualTo(1000);
		assertThat(shop().charges(id)).hasSize(1);
		assertThat(shop().stock(sku).get("onHand").asInt()).isEqualTo(4);
	}

	@Test
	void concurrentRequestsWithOneKeyCreateOneOrder() throws Exception {
		String sku = shop().product(300, 50);
		String key = UUID.randomUUID().toString();
		String body = Shop.order(customer, "tok_ok", sku, "1");
		ExecutorService pool = Executors.newFixedThreadPool(20);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> responses = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			responses.add(pool.submit(() -> {
				start.await();
				return shop().place(body, key);
			}));
		}
		start.countDown();
		Set<String> ids = new HashSet<>();
		for (Future<Http.Response> response : responses) {
			Http.Response r = response.get();
			assertThat(r.status()).isIn(202, 409);
			if (r.status() == 202) {
				ids.add(r.json().get("id").asString());
			}
		}
		pool.shutdown();
		assertThat(ids).hasSize(1);
		assertThat(shop().http.get("/v1/orders?customerId=" + customer).json().get("items")).hasSize(1);
		Http.Response replay = shop().place(body, key);
		assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(replay.json().get("id").asString()).isEqualTo(ids.iterator().next());
		assertThat(shop().place(Shop.order(customer, "tok_ok", sku, "2"), key).status()).isEqualTo(422);
	}

	@Test
	void pagesStayStableWhileOrdersArrive() throws Exception {
		String sku = shop().product(100, 1000);
		List<String> placed = new ArrayList<>();
		for (int i = 0; i < 23; i++) {
			placed.add(shop().place(Shop.order(customer, "tok_ok", sku, "1")).json().get("id").asString());
		}
		List<String> seen = new ArrayList<>();
		List<String> cursors = new ArrayList<>();
		String cursor = null;
		do {
			shop().place(Shop.order(customer, "tok_ok", sku, "1"));
			JsonNode page = shop().http
				.get("/v1/orders?customerId=" + customer + "&limit=5" + (cursor == null ? "" : "&after=" + cursor))
				.json();
			page.get("items").forEach(item -> seen.add(item.get("id").asString()));
			cursors.add(page.get("prev").isNull() ? null : page.get("prev").asString());
			cursor = page.get("next").isNull() ? null : page.get("next").asString();
		}
		while (cursor != null);

		assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
		assertThat(seen).containsAll(placed);
		assertThat(seen).isSortedAccordingTo((a, b) -> b.compareTo(a));
		// Going back from the last page gives the same orders as going forward did.
		String lastPrev = cursors.getLast();
		JsonNode back = shop().http.get("/v1/orders?customerId=" + customer + "&limit=5&before=" + lastPrev).json();
		List<String> backIds = new ArrayList<>();
		back.get("items").forEach(item -> backIds.add(item.get("id").asString()));
		int at = seen.indexOf(backIds.getFirst());
		assertThat(seen.subList(at, at + backIds.size())).isEqualTo(backIds);
	}

	@Test
	void customerCancelRefundsAndReturnsStockButNotAfterDispatch() {
		String sku = shop().product(2000, 5);
		String id = shop().place(Shop.order(customer, "tok_ok", sku, "2")).json().get("id").asString();
		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CONFIRMED"));

		Http.Response cancel = shop().http.post("/v1/orders/" + id + "/cancel", "", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(cancel.status()).isEqualTo(202);
		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CANCELLED"));
		assertThat(shop().get(id).get("cancellationReason").asString()).isEqualTo("cancelled_by_customer");
		await().atMost(DEADLINE).until(() -> shop().captured(id) == 0);
		await().atMost(DEADLINE).until(() -> shop().stock(sku).get("onHand").asInt() == 5);

		String shipped = shop().place(Shop.order(customer, "tok_ok", sku, "1")).json().get("id").asString();
		await().atMost(DEADLINE).until(() -> shop().status(shipped).equals("CONFIRMED"));
		assertThat(shop().http.post("/v1/admin/shipments/" + shipped + "/dispatch", "", Map.of()).status()).isEqualTo(200);
		await().atMost(DEADLINE).until(() -> !shop().get(shipped).get("dispatchedAt").isNull());
		assertThat(shop().http.post("/v1/orders/" + shipped + "/cancel", "", Map.of()).status()).isEqualTo(409);
		assertThat(shop().status(shipped)).isEqualTo("CONFIRMED");
	}

	/**
	 * A customer's cancel and the warehouse's dispatch at the same instant, many times with random
	 * timing: exactly one wins each time. Either the shipment never leaves and the order is
	 * cancelled and refunded in full, or the dispatch stands, the order stays confirmed and
	 * captured, and a cancel that had been accepted ends visibly refused (on the order, its
	 * timeline, and a message to the customer); never a saga retrying what cannot succeed.
	 */
	@Test
	void aCancelRacingADispatchEndsOneWayEveryTime() throws Exception {
		String sku = shop().product(700, 100);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			ids.add(shop().place(Shop.order(customer, "tok_ok", sku, "1")).json().get("id").asString());
		}
		for (String id : ids) {
			await().atMost(DEADLINE).until(() -> shop().status(id).equals("CONFIRMED"));
		}
		Map<String, Integer> cancels = new HashMap<>();
		Map<String, Integer> dispatches = new HashMap<>();
		Random random = new Random();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (String id : ids) {
				// Random timing: the cancel may be ahead by up to 60 ms (its compensation reaches shipping first), or behind.
				long cancelDelay = random.nextInt(4_000_000);
				long dispatchDelay = random.nextInt(60_000_000);
				CountDownLatch go = new CountDownLatch(1);
				Future<Integer> cancel = pool.submit(() -> {
					go.await();
					LockSupport.parkNanos(cancelDelay);
					return shop().http.post("/v1/orders/" + id + "/cancel", "",
							Map.of("Idempotency-Key", UUID.randomUUID().toString())).status();
				});
				Future<Integer> dispatch = pool.submit(() -> {
					go.await();
					LockSupport.parkNanos(dispatchDelay);
					return shop().http.post("/v1/admin/shipments/" + id + "/dispatch", "", Map.of()).status();
				});
				go.countDown();
				cancels.put(id, cancel.get());
				dispatches.put(id, dispatch.get());
			}
		}

		int cancelled = 0;
		int refused = 0;
		for (String id : ids) {
			// Settled: the saga completed (the dispatch stood) or compensated (the cancel won).
			await().atMost(DEADLINE).until(() -> Set.of("completed", "compensated").contains(shop().get(id).get("progress").asString()));
			JsonNode order = shop().get(id);
			assertThat(cancels.get(id)).as("cancel of %s", id).isIn(202, 409);
			assertThat(dispatches.get(id)).as("dispatch of %s", id).isIn(200, 409);
			if (order.get("status").asString().equals("CANCELLED")) {
				cancelled++;
				assertThat(cancels.get(id)).isEqualTo(202);
				assertThat(dispatches.get(id)).as("a cancelled order's shipment never leaves").isEqualTo(409);
				assertThat(order.get("dispatchedAt").isNull()).isTrue();
				assertThat(order.get("cancellationReason").asString()).isEqualTo("cancelled_by_customer");
				await().atMost(DEADLINE).until(() -> shop().captured(id) == 0);
			}
			else {
				assertThat(order.get("status").asString()).isEqualTo("CONFIRMED");
				assertThat(dispatches.get(id)).as("the dispatch stood").isEqualTo(200);
				await().atMost(DEADLINE).until(() -> !shop().get(id).get("dispatchedAt").isNull());
				assertThat(shop().captured(id)).as("still charged: the goods left").isEqualTo(700);
				if (cancels.get(id) == 202) {
					refused++;
					assertThat(order.get("cancellationRejectedReason").asString()).isEqualTo("already_dispatched");
					assertThat(shop().http.get("/v1/orders/" + id + "/timeline").body()).contains("CANCELLATION_REFUSED");
					await().atMost(DEADLINE).until(() -> shop().http.get("/v1/notifications?orderId=" + id).body()
						.contains("cancellation-rejected"));
				}
			}
		}
		// Each unit is either sold (confirmed) or back in stock (cancelled).
		assertThat(shop().stock(sku).get("onHand").asInt()).isEqualTo(100 - (ids.size() - cancelled));
		assertThat(shop().http.get("/v1/admin/sagas?state=NEEDS_ATTENTION&limit=500").body()).doesNotContain(ids.toArray(String[]::new));
		System.out.printf("cancel vs dispatch: %d cancelled, %d dispatched after an accepted cancel (refused), %d dispatched first%n",
				cancelled, refused, ids.size() - cancelled - refused);
	}

	@Test
	void aCompensationThatKeepsFailingWaitsForAnOperatorWhoRetriesIt() {
		String sku = shop().product(1500, 5);
		String id = shop().place(Shop.order(customer, "tok_ok", sku, "1")).json().get("id").asString();
		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CONFIRMED"));
		assertThat(shop().http.put("/v1/admin/shipping/faults", "{\"failCancellations\": true}", Map.of()).status()).isEqualTo(200);

		shop().http.post("/v1/orders/" + id + "/cancel", "", Map.of());
		await().atMost(DEADLINE).until(() -> {
			clock.advance(Duration.ofSeconds(5));
			return shop().http.get("/v1/admin/sagas?state=NEEDS_ATTENTION&limit=500").body().contains(id);
		});
		assertThat(shop().get(id).get("progress").asString()).startsWith("needs_attention");

		shop().http.put("/v1/admin/shipping/faults", "{\"failCancellations\": false}", Map.of());
		assertThat(shop().http.post("/v1/admin/sagas/" + id + "/retry", "", Map.of()).status()).isEqualTo(200);
		await().atMost(DEADLINE).until(() -> shop().status(id).equals("CANCELLED"));
		await().atMost(DEADLINE).until(() -> shop().captured(id) == 0);
	}

	@Test
	void refusesBadOrdersAndStoresNothing() {
		String sku = shop().product(100, 5);
		String badCustomer = "c-bad-" + UUID.randomUUID();
		List<String> bodies = List.of(
				Shop.order(badCustomer, "tok_ok", "NO-SUCH-SKU", "1"),
				Shop.order(badCustomer, "tok_ok", sku, "0"),
				Shop.order(badCustomer, "tok_ok"),
				"{\"customerId\": \"" + badCustomer + "\", \"items\": [",
				"[]",
				Shop.order(badCustomer, "tok_ok", sku, "1.5"),
				Shop.order(badCustomer, "tok_ok", sku, "1").replace("\"DE\"", "\"Germany\""));
		for (String body : bodies) {
			Http.Response response = shop().place(body);
			assertThat(response.status()).as(body).isIn(400, 422);
			assertThat(response.header("Content-Type")).as(body).startsWith("application/problem+json");
		}
		assertThat(shop().http.post("/v1/orders", Shop.order(badCustomer, "tok_ok", sku, "1"), Map.of()).status()).isEqualTo(400);
		assertThat(shop().http.get("/v1/orders?customerId=" + badCustomer).json().get("items")).isEmpty();
		assertThat(shop().stock(sku).get("available").asInt()).isEqualTo(5);
	}

	@Test
	void theLedgerBalancesAfterEverything() {
		String sku = shop().product(4200, 10);
		String kept = shop().place(Shop.order(customer, "tok_ok", sku, "1")).json().get("id").asString();
		String cancelled = shop().place(Shop.order(customer, "tok_ok", sku, "1")).json().get("id").asString();
		await().atMost(DEADLINE).until(() -> shop().status(kept).equals("CONFIRMED") && shop().status(cancelled).equals("CONFIRMED"));
		shop().http.post("/v1/orders/" + cancelled + "/cancel", "", Map.of());
		await().atMost(DEADLINE).until(() -> shop().status(cancelled).equals("CANCELLED"));

		List<Map<String, Object>> unbalanced = jdbc.sql("""
				select transaction_id, sum(amount_minor) from payment.ledger_entries
				group by transaction_id having sum(amount_minor) <> 0""").query().listOfRows();
		assertThat(unbalanced).isEmpty();
		assertThat(jdbc.sql("select count(*) from payment.ledger_entries where order_id = :id").param("id", kept)
			.query(Long.class).single()).isPositive();
	}

	private List<String> placeConcurrently(int count, java.util.function.IntFunction<String> body) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<Future<Http.Response>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int n = i;
			futures.add(pool.submit(() -> shop().place(body.apply(n))));
		}
		List<String> ids = new ArrayList<>();
		for (Future<Http.Response> future : futures) {
			Http.Response response = future.get();
			assertThat(response.status()).as(response.body()).isEqualTo(202);
			ids.add(response.json().get("id").asString());
		}
		pool.shutdown();
		return ids;
	}
}
