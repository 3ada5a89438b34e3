package io.orderly.inventory;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.inventory.Replies.Reply;
import io.orderly.inventory.ReserveStock.Line;
import io.orderly.inventory.internal.InventoryProperties;
import io.orderly.inventory.internal.Products;
import io.orderly.inventory.internal.Stock;
import io.orderly.inventory.internal.StockLevels;
import io.orderly.platform.MutableClock;
import io.orderly.platform.web.ProblemException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The inventory's side of the checkout saga, end to end through the outbox, the relay and
 * the inventory's subscription: commands go in as messages, replies are recorded as the saga
 * would receive them.
 */
@InventoryIntegrationTest
class InventoryReservationIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@Autowired
	Replies replies;

	@Autowired
	Products products;

	@Autowired
	Stock stock;

	@Autowired
	MutableClock clock;

	@Autowired
	InventoryProperties properties;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	private final String run = "r" + UUID.randomUUID().toString().substring(0, 8) + "-";

	@Test
	void neverReservesMoreThanIsOnHandWhenManyOrdersReserveAtOnce() throws Exception {
		String sku = product("HOT", 100);
		int orders = 200;
		Random random = new Random(42);
		Map<String, Integer> wanted = new ConcurrentHashMap<>();
		Map<String, List<Line>> lines = new ConcurrentHashMap<>();
		for (int i = 0; i < orders; i++) {
			String orderId = run + "o" + i;
			int quantity = 1 + random.nextInt(3);
			wanted.put(orderId, quantity);
			// Every fourth order asks in two lines of the same sku, which count together.
			lines.put(orderId, i % 4 == 0 && quantity > 1
					? List.of(new Line(sku, 1), new Line(sku, quantity - 1)) : List.of(new Line(sku, quantity)));
		}

		ExecutorService pool = Executors.newFixedThreadPool(16);
		CountDownLatch start = new CountDownLatch(1);
		AtomicInteger removed = new AtomicInteger();
		List<Future<?>> work = new ArrayList<>();
		try {
			for (String orderId : wanted.keySet()) {
				work.add(pool.submit(() -> {
					start.await();
					replies.send(orderId, new ReserveStock(orderId, lines.get(orderId)));
					return null;
				}));
			}
			// Meanwhile an operator takes units away one by one, racing the reservations.
			for (int i = 0; i < 20; i++) {
				work.add(pool.submit(() -> {
					start.await();
					try {
						stock.adjust(sku, -1, "shrinkage");
						removed.incrementAndGet();
					}
					catch (ProblemException refused) {
						assertThat(refused.status().value()).isEqualTo(409);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : work) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}

		await().atMost(DEADLINE).until(() -> replies.toOrdersStartingWith(run).size() >= orders);
		List<Reply> all = replies.toOrdersStartingWith(run);
		assertThat(all).as("exactly one reply per order").hasSize(orders);
		assertThat(all.stream().map(Reply::orderId).distinct()).hasSize(orders);

		Map<String, Reply> byOrder = all.stream().collect(Collectors.toMap(Reply::orderId, Function.identity()));
		long reservedUnits = byOrder.values().stream()
			.filter(r -> r.type().equals("StockReserved"))
			.mapToLong(r -> wanted.get(r.orderId()))
			.sum();
		StockLevels levels = stock.levels(sku).orElseThrow();
		assertThat(levels.onHand()).isEqualTo(100 - removed.get());
		assertThat(levels.reserved()).isEqualTo(reservedUnits);
		assertThat(levels.reserved()).isLessThanOrEqualTo(levels.onHand());
		assertThat(levels.available()).isGreaterThanOrEqualTo(0);
		assertThat(reservedUnitsInReservations(run)).isEqualTo(reservedUnits);

		List<Reply> refusals = byOrder.values().stream().filter(r -> r.type().equals("StockReservationFailed")).toList();
		assertThat(refusals).as("demand exceeds supply, so some orders are refused").isNotEmpty();
		assertThat(refusals).allSatisfy(r -> assertThat(r.reason()).isEqualTo(StockReservationFailed.OUT_OF_STOCK));
		// Available stock only shrank during the run, so each refusal was deserved at the end, too.
		assertThat(refusals).allSatisfy(r -> assertThat((long) wanted.get(r.orderId())).isGreaterThan(levels.available()));
	}

	@Test
	void reservesAllLinesOfAnOrderOrNone() {
		String mug = product("MUG", 5);
		String poster = product("POSTER", 1);

		assertThat(reserve("o1", new Line(mug, 2), new Line(poster, 2)))
			.isEqualTo(failed("o1", StockReservationFailed.OUT_OF_STOCK));
		assertThat(reserve("o2", new Line(mug, 3), new Line(mug, 3)))
			.as("two lines of one sku count together")
			.isEqualTo(failed("o2", StockReservationFailed.OUT_OF_STOCK));
		assertThat(reserve("o3", new Line(mug, 1), new Line(run + "NO-SUCH-SKU", 1)))
			.isEqualTo(failed("o3", StockReservationFailed.UNKNOWN_SKU));
		assertLevels(mug, 5, 0);
		assertLevels(poster, 1, 0);

		assertThat(reserve("o4", new Line(mug, 2), new Line(poster, 1), new Line(mug, 3)).type()).isEqualTo("StockReserved");
		assertLevels(mug, 5, 5);
		assertLevels(poster, 1, 1);
		assertThat(linesOf("o4")).containsExactlyInAnyOrderEntriesOf(Map.of(mug, 5L, poster, 1L));
	}

	@Test
	void releasingAReservationReturnsItsUnitsToStock() {
		String sku = product("MUG", 10);
		assertThat(reserve("o1", new Line(sku, 4)).type()).isEqualTo("StockReserved");
		assertLevels(sku, 10, 4);

		assertThat(send("o1", new ReleaseStock(order("o1")))).isEqualTo(reply("o1", "StockReleased"));
		assertLevels(sku, 10, 0);

		assertThat(send("o1", new ReleaseStock(order("o1")))).as("nothing left to release").isEqualTo(reply("o1", "StockReleased"));
		assertThat(send("o2", new ReleaseStock(order("o2")))).as("never reserved").isEqualTo(reply("o2", "StockReleased"));
		assertThat(send("o1", new CommitStock(order("o1"))))
			.as("a released order cannot buy its units back")
			.isEqualTo(new Reply(order("o1"), "StockCommitFailed", StockCommitFailed.NOT_RESERVED, null));
		assertLevels(sku, 10, 0);
	}

	@Test
	void committingAReservationTurnsItIntoASaleAndReleasingTheSaleReturnsIt() {
		String sku = product("MUG", 10);
		assertThat(reserve("o1", new Line(sku, 3)).type()).isEqualTo("StockReserved");

		assertThat(send("o1", new CommitStock(order("o1")))).isEqualTo(reply("o1", "StockCommitted"));
		assertLevels(sku, 7, 0);
		assertThat(send("o1", new CommitStock(order("o1")))).as("committed once").isEqualTo(reply("o1", "StockCommitted"));
		assertLevels(sku, 7, 0);

		assertThat(send("o1", new ReleaseStock(order("o1")))).isEqualTo(reply("o1", "StockReleased"));
		assertLevels(sku, 10, 0);
		assertThat(send("o2", new CommitStock(order("o2"))))
			.isEqualTo(new Reply(order("o2"), "StockCommitFailed", StockCommitFailed.NOT_RESERVED, null));
	}

	@Test
	void answersARepeatedCommandAsTheFirstTimeAndChangesStockOnce() {
		String sku = product("MUG", 10);
		Reply first = reserve("o1", new Line(sku, 2));
		Reply again = reserve("o1", new Line(sku, 2));
		assertThat(again).isEqualTo(first);
		assertThat(first.expiresAt()).isNotNull();
		assertLevels(sku, 10, 2);

		Reply refused = reserve("o2", new Line(sku, 50));
		assertThat(refused).isEqualTo(failed("o2", StockReservationFailed.OUT_OF_STOCK));
		stock.adjust(sku, 100, "restock");
		assertThat(reserve("o2", new Line(sku, 50))).as("a refused order stays refused").isEqualTo(refused);
		assertLevels(sku, 110, 2);
	}

	@Test
	void appliesAndAnswersACommandOnceWhenItIsDeliveredTwice() {
		String sku = product("MUG", 10);
		assertThat(reserve("o1", new Line(sku, 2)).type()).isEqualTo("StockReserved");
		assertThat(send("o1", new CommitStock(order("o1"))).type()).isEqualTo("StockCommitted");
		double duplicatesBefore = duplicates();

		// Deliver both commands again, as a lost acknowledgement or a rewound consumer would.
		long first = jdbc.sql("select min(position) from platform.outbox where subject = :order and type like '%ReserveStock%'")
			.param("order", order("o1"))
			.query(Long.class)
			.single();
		jdbc.sql("update platform.subscriptions set position = least(position, :position) where starts_with(name, 'inventory')")
			.param("position", first - 1)
			.update();

		await().atMost(DEADLINE).until(() -> duplicates() - duplicatesBefore >= 2);
		assertThat(replies.to(order("o1"))).extracting(Reply::type).containsExactly("StockReserved", "StockCommitted");
		assertLevels(sku, 8, 0);
	}

	@Test
	void returnsAnExpiredReservationToStockByItself() {
		String sku = product("MUG", 10);
		double expiredBefore = meters.counter("orderly.inventory.reservations.expired").count();
		Reply old = reserve("old", new Line(sku, 4));
		assertThat(old.type()).isEqualTo("StockReserved");
		assertThat(old.expiresAt()).isCloseTo(clock.instant().plus(properties.reservationTtl()), within(1, ChronoUnit.MINUTES));

		clock.advance(properties.reservationTtl().minus(Duration.ofMinutes(10)));
		assertThat(reserve("fresh", new Line(sku, 3)).type()).isEqualTo("StockReserved");
		assertLevels(sku, 10, 7);

		clock.advance(Duration.ofMinutes(11));
		await().atMost(DEADLINE).until(() -> replies.to(order("old")).size() == 2);
		assertThat(replies.to(order("old")).getLast()).isEqualTo(reply("old", "StockReleased"));
		assertLevels(sku, 10, 3);
		assertThat(replies.to(order("fresh"))).as("not due yet").hasSize(1);
		assertThat(meters.counter("orderly.inventory.reservations.expired").count()).isGreaterThan(expiredBefore);

		// A commit after expiry takes the units again while they are there.
		assertThat(send("old", new CommitStock(order("old")))).isEqualTo(reply("old", "StockCommitted"));
		assertLevels(sku, 6, 3);
	}

	@Test
	void refusesToCommitAnExpiredReservationWhoseUnitsAreGone() {
		String sku = product("MUG", 5);
		assertThat(reserve("o1", new Line(sku, 4)).type()).isEqualTo("StockReserved");
		clock.advance(properties.reservationTtl().plus(Duration.ofMinutes(1)));
		await().atMost(DEADLINE).until(() -> replies.to(order("o1")).size() == 2);
		assertLevels(sku, 5, 0);
		assertThat(reserve("o2", new Line(sku, 3)).type()).isEqualTo("StockReserved");

		assertThat(send("o1", new CommitStock(order("o1"))))
			.isEqualTo(new Reply(order("o1"), "StockCommitFailed", StockCommitFailed.OUT_OF_STOCK, null));
		assertLevels(sku, 5, 3);
		assertThat(send("o1", new ReleaseStock(order("o1")))).isEqualTo(reply("o1", "StockReleased"));
		assertLevels(sku, 5, 3);
	}

	private String product(String name, long onHand) {
		String sku = run + name;
		products.save(new Product(sku, name, 1000, "EUR"));
		if (onHand > 0) {
			stock.adjust(sku, onHand, "initial stock");
		}
		return sku;
	}

	private String order(String name) {
		return run + name;
	}

	private Reply reserve(String order, Line... lines) {
		return send(order, new ReserveStock(order(order), List.of(lines)));
	}

	/** Sends a command for the order and returns the reply it caused. */
	private Reply send(String order, Object command) {
		int before = replies.to(order(order)).size();
		replies.send(order(order), command);
		await().atMost(DEADLINE).until(() -> replies.to(order(order)).size() > before);
		List<Reply> all = replies.to(order(order));
		assertThat(all).as("one reply per command").hasSize(before + 1);
		return all.getLast();
	}

	private Reply reply(String order, String type) {
		return new Reply(order(order), type, null, null);
	}

	private Reply failed(String order, String reason) {
		return new Reply(order(order), "StockReservationFailed", reason, null);
	}

	private void assertLevels(String sku, long onHand, long reserved) {
		assertThat(stock.levels(sku)).contains(new StockLevels(sku, onHand, reserved, onHand - reserved));
	}

	private Map<String, Long> linesOf(String order) {
		return jdbc.sql("select sku, quantity from inventory.reservation_lines where order_id = :order")
			.param("order", order(order))
			.query((rs, row) -> Map.entry(rs.getString("sku"), rs.getLong("quantity")))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private long reservedUnitsInReservations(String prefix) {
		return jdbc.sql("""
				select coalesce(sum(l.quantity), 0) from inventory.reservations r
				join inventory.reservation_lines l on l.order_id = r.order_id
				where r.state = 'RESERVED' and starts_with(r.order_id, :prefix)""")
			.param("prefix", prefix)
			.query(Long.class)
			.single();
	}

	private double duplicates() {
		return meters.find("orderly.messaging.duplicates")
			.tag("subscription", "inventory")
			.counters()
			.stream()
			.mapToDouble(io.micrometer.core.instrument.Counter::count)
			.sum();
	}
}
