package io.orderly.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.bench.ProcessCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How many orders per second the whole checkout confirms in one JVM (HTTP, saga, inventory,
 * payment through the PSP simulator over HTTP, shipping), with the production pool size, and
 * what each order costs: CPU of the JVM and of PostgreSQL, transactions and rows. The clients
 * run in the same JVM, so the CPU figure includes theirs. A measurement, not a check: run it on
 * purpose with {@code -Dorderly.perf=true} ({@code -Dorderly.perf.orders}, {@code -Dorderly.perf.clients}).
 */
@IntegrationTest
@EnabledIfSystemProperty(named = "orderly.perf", matches = "true")
@TestPropertySource(properties = "spring.datasource.hikari.maximum-pool-size=16")
class CheckoutThroughputIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void confirmsOrders() throws Exception {
		Shop shop = new Shop(port);
		int orders = Integer.getInteger("orderly.perf.orders", 3000);
		int clients = Integer.getInteger("orderly.perf.clients", 16);
		List<String> skus = List.of(shop.product(1200, 1_000_000), shop.product(800, 1_000_000));
		warmUp(shop, skus);

		ProcessCpu cpu = ProcessCpu.ofThisJvmAndPostgres(jdbc);
		Map<String, Object> before = databaseCounters();
		Map<String, long[]> tablesBefore = tableCounters();
		ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<Long> acceptNanos = new ConcurrentLinkedQueue<>();
		AtomicInteger refused = new AtomicInteger();
		AtomicInteger next = new AtomicInteger();
		long start = System.nanoTime();
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				done.add(pool.submit(() -> {
					for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
						long sent = System.nanoTime();
						Http.Response response = shop.place(Shop.order("perf-" + (i % 50), "tok_ok", skus.get(i % 2), "1"));
						acceptNanos.add(System.nanoTime() - sent);
						if (response.status() == 202) {
							accepted.add(response.json().get("id").asString());
						}
						else {
							refused.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get(10, TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}
		double acceptSeconds = (System.nanoTime() - start) / 1e9;
		await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
			.until(() -> jdbc.sql("select count(*) from orders.orders where status = 'PENDING'").query(Long.class).single() == 0);
		double seconds = (System.nanoTime() - start) / 1e9;
		ProcessCpu.Usage used = cpu.since();
		Map<String, Object> after = databaseCounters();
		int n = accepted.size();

		List<Long> accepts = acceptNanos.stream().sorted().toList();
		System.out.printf("CHECKOUT %d orders accepted (%d refused) by %d clients in %.1f s = %.0f accepted/s%n", n,
				refused.get(), clients, acceptSeconds, n / acceptSeconds);
		System.out.printf("CHECKOUT all final after %.1f s = %.0f orders/s end to end%n", seconds, n / seconds);
		System.out.printf("CHECKOUT accept latency p50 %.1f ms, p99 %.1f ms%n", percentile(accepts, 0.50) / 1e6,
				percentile(accepts, 0.99) / 1e6);
		System.out.println("CHECKOUT accept-to-final (server clock): " + jdbc.sql("""
				select status, count(*) as orders,
				       percentile_cont(0.5) within group (order by extract(epoch from updated_at - created_at)) * 1000 as p50_ms,
				       percentile_cont(0.99) within group (order by extract(epoch from updated_at - created_at)) * 1000 as p99_ms
				from orders.orders where starts_with(customer_id, 'perf-') group by status""").query().listOfRows());
		System.out.printf("CHECKOUT cpu per order: %.2f ms JVM + %.2f ms PostgreSQL = %.2f ms (%.1f cpu-s in %.1f s)%n",
				used.jvmNanos() / 1e6 / n, used.postgresNanos() / 1e6 / n, used.totalNanos() / 1e6 / n,
				used.totalNanos() / 1e9, seconds);
		for (String counter : before.keySet()) {
			System.out.printf("CHECKOUT per order: %s %.1f%n", counter,
					(((Number) after.get(counter)).doubleValue() - ((Number) before.get(counter)).doubleValue()) / n);
		}
		Map<String, long[]> tablesAfter = tableCounters();
		tablesAfter.forEach((table, counts) -> {
			long[] was = tablesBefore.getOrDefault(table, new long[3]);
			double inserted = (counts[0] - was[0]) / (double) n;
			double updated = (counts[1] - was[1]) / (double) n;
			double deleted = (counts[2] - was[2]) / (double) n;
			if (inserted + updated + deleted >= 0.05) {
				System.out.printf("CHECKOUT per order in %-32s inserted %5.2f updated %5.2f deleted %5.2f%n", table, inserted,
						updated, deleted);
			}
		});
		jdbc.sql("select type, count(*) as messages from platform.outbox group by type order by 2 desc")
			.query((rs, row) -> "CHECKOUT messages " + rs.getString(1) + " " + rs.getLong(2))
			.list()
			.forEach(System.out::println);
		jdbc.sql("select subscription, count(*) from platform.inbox group by subscription order by 2 desc")
			.query((rs, row) -> "CHECKOUT inbox " + rs.getString(1) + " " + rs.getLong(2))
			.list()
			.forEach(System.out::println);
		assertThat(jdbc.sql("select count(*) from orders.orders where starts_with(customer_id, 'perf-') and status = 'CONFIRMED'")
			.query(Long.class).single()).isEqualTo(n);
	}

	private void warmUp(Shop shop, List<String> skus) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			ids.add(shop.place(Shop.order("warm-" + i, "tok_ok", skus.get(i % 2), "1")).json().get("id").asString());
		}
		await().atMost(Duration.ofMinutes(2)).until(() -> ids.stream().allMatch(id -> !shop.status(id).equals("PENDING")));
	}

	private Map<String, Object> databaseCounters() {
		return jdbc.sql("""
				select xact_commit as transactions, tup_inserted as rows_inserted, tup_updated as rows_updated,
				       tup_deleted as rows_deleted, tup_fetched as rows_fetched
				from pg_stat_database where datname = current_database()""").query().singleRow();
	}

	/** Rows inserted, updated (in place or not) and deleted per table so far. */
	private Map<String, long[]> tableCounters() {
		Map<String, long[]> counters = new java.util.TreeMap<>();
		jdbc.sql("select schemaname || '.' || relname as name, n_tup_ins, n_tup_upd, n_tup_del from pg_stat_user_tables")
			.query((rs, row) -> counters.put(rs.getString(1), new long[] { rs.getLong(2), rs.getLong(3), rs.getLong(4) }))
			.list();
		return counters;
	}

	private static double percentile(List<Long> sorted, double p) {
		return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
	}
}
