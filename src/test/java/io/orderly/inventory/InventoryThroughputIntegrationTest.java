package io.orderly.inventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.orderly.inventory.ReserveStock.Line;
import io.orderly.inventory.internal.Products;
import io.orderly.inventory.internal.Stock;
import io.orderly.platform.messaging.Outbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How many orders per second the inventory reserves and commits on this machine, with the
 * relay, the inventory subscriber and a reply subscriber in one JVM. A measurement, not a
 * check: run it on purpose with {@code -Dorderly.perf=true}.
 */
@InventoryIntegrationTest
@EnabledIfSystemProperty(named = "orderly.perf", matches = "true")
class InventoryThroughputIntegrationTest {

	@Autowired
	Replies replies;

	@Autowired
	Products products;

	@Autowired
	Stock stock;

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Test
	void reservesAndCommitsOrders() throws Exception {
		String run = "p" + UUID.randomUUID().toString().substring(0, 8) + "-";
		List<String> skus = List.of(run + "MUG", run + "TSHIRT", run + "POSTER");
		for (String sku : skus) {
			products.save(new Product(sku, sku, 1000, "EUR"));
			stock.adjust(sku, 1_000_000, "perf");
		}
		int orders = Integer.getInteger("orderly.perf.orders", 6000);
		long cpuBefore = cpuNanos();
		int publishers = 8;
		long start = System.nanoTime();
		ExecutorService pool = Executors.newFixedThreadPool(publishers);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int p = 0; p < publishers; p++) {
				int publisher = p;
				done.add(pool.submit(() -> {
					for (int i = publisher; i < orders; i += publishers) {
						String orderId = run + i;
						List<Line> lines = i % 2 == 0 ? List.of(new Line(skus.get(i % 3), 1))
								: List.of(new Line(skus.get(i % 3), 1), new Line(skus.get((i + 1) % 3), 2));
						transactions.executeWithoutResult(status -> outbox.publish(orderId, new ReserveStock(orderId, lines)));
						transactions.executeWithoutResult(status -> outbox.publish(orderId, new CommitStock(orderId)));
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			pool.shutdownNow();
		}
		double published = (System.nanoTime() - start) / 1e9;
		await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
			.until(() -> replies.countToOrdersStartingWith(run) >= 2 * orders);
		double seconds = (System.nanoTime() - start) / 1e9;
		long cpu = cpuNanos() - cpuBefore;
		System.out.printf("THROUGHPUT cpu: %.2f ms per order (JVM + PostgreSQL), %.1f cpu-seconds in all%n",
				cpu / 1e6 / orders, cpu / 1e9);
		System.out.printf("THROUGHPUT: %d orders (reserve + commit) in %.1f s = %.0f orders/s (publishing took %.1f s)%n",
				orders, seconds, orders / seconds, published);
		for (String subscription : List.of("inventory", Replies.SUBSCRIPTION)) {
			System.out.println("THROUGHPUT " + subscription + ": " + jdbc.sql("""
					select count(*) as messages, extract(epoch from max(consumed_at) - min(consumed_at)) as seconds
					from platform.inbox where subscription = :name and consumed_at > now() - interval '10 minutes'""")
				.param("name", subscription).query().singleRow());
		}
		System.out.println("THROUGHPUT relay: " + jdbc.sql("""
				select count(*) as messages, extract(epoch from max(published_at) - min(created_at)) as seconds,
				       avg(extract(epoch from published_at - created_at)) as avg_publish_lag
				from platform.outbox where starts_with(subject, :run)""").param("run", run).query().singleRow());
		assertThat(replies.toOrdersStartingWith(run)).hasSize(2 * orders)
			.allSatisfy(reply -> assertThat(reply.type()).isIn("StockReserved", "StockCommitted"));
	}

	/**
	 * CPU time of this JVM and of the embedded PostgreSQL (its postmaster's children), which
	 * unlike wall time hardly depends on what else runs on the machine.
	 */
	private long cpuNanos() throws Exception {
		long jvm = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
			.getOperatingSystemMXBean()).getProcessCpuTime();
		int backend = jdbc.sql("select pg_backend_pid()").query(Integer.class).single();
		long postmaster = Long.parseLong(stat(backend)[3]);
		long ticks = 0;
		try (var processes = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
			for (var dir : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
				try {
					String[] fields = stat(Long.parseLong(dir.getFileName().toString()));
					if (Long.parseLong(fields[3]) == postmaster) {
						ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
					}
				}
				catch (java.io.IOException | RuntimeException gone) {
					// the process ended while we looked
				}
			}
		}
		return jvm + ticks * 10_000_000L;
	}

	/** The fields of /proc/pid/stat after the command name (index 0 is the pid). */
	private static String[] stat(long pid) throws java.io.IOException {
		String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
		String afterName = stat.substring(stat.lastIndexOf(')') + 2);
		String[] rest = afterName.split(" ");
		String[] fields = new String[rest.length + 2];
		fields[0] = Long.toString(pid);
		fields[1] = "comm";
		System.arraycopy(rest, 0, fields, 2, rest.length);
		return fields;
	}
}
