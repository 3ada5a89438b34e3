package io.orderly.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.orderly.OrderlyApplication;
import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.messaging.Subscription;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * End-to-end throughput and commit-to-consume latency of the messaging kernel on the
 * embedded PostgreSQL: publishers commit events through the outbox, the relay sequences them,
 * a subscriber applies them (inbox row in its transaction). Run with {@code bin/bench-messaging};
 * writes docs/bench/messaging-DATE.md.
 */
public final class MessagingBenchmark {

	private static final String PADDING = "x".repeat(200);


	static final AtomicLong consumed = new AtomicLong();

	static volatile long[] latencies = new long[0];

	static final AtomicLong latencyCount = new AtomicLong();

	private MessagingBenchmark() {
	}

	@Configuration(proxyBeanMethods = false)
	static class Bench {

		@Bean
		Subscription benchSubscription() {
			return Subscription.named("bench").on(BenchEvent.class, (event, message) -> {
				long index = latencyCount.getAndIncrement();
				long[] sink = latencies;
				if (index < sink.length) {
					sink[(int) index] = System.nanoTime() - event.publishedNanos();
				}
				consumed.incrementAndGet();
			}).build();
		}
	}

	public static void main(String[] args) throws Exception {
		Duration throughputRun = Duration.ofSeconds(Long.parseLong(System.getProperty("bench.seconds", "10")));
		// A data folder of its own makes the embedded server durable (fsync, synchronous commit), as in production.
		java.nio.file.Path data = java.nio.file.Files.createTempDirectory("orderly-bench-").resolve("postgres");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(OrderlyApplication.class, Bench.class)
			// A web application as the platform always is (its security needs one), on a free port nobody calls.
			.properties("server.port=0", "orderly.modules=none",
					"orderly.database.data-directory=" + data, "orderly.database.port=0",
					"spring.datasource.hikari.maximum-pool-size=24", "logging.level.root=warn")
			.run();
		try {
			Outbox outbox = context.getBean(Outbox.class);
			TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
			warmUp(outbox, transactions);
			List<String> rows = new ArrayList<>();
			for (int publishers : new int[] { 1, 16 }) {
				for (int perTransaction : new int[] { 1, 10 }) {
					rows.add(throughput(outbox, transactions, publishers, perTransaction, throughputRun));
				}
			}
			String latency = latencyAtRate(outbox, transactions, 1000, Duration.ofSeconds(10));
			write(rows, latency);
		}
		finally {
			context.close();
		}
	}

	private static void warmUp(Outbox outbox, TransactionTemplate transactions) throws InterruptedException {
		latencies = new long[0];
		long target = consumed.get() + 5000;
		for (int i = 0; i < 5000; i++) {
			publish(outbox, transactions, "warm-" + (i % 50), i, 1);
		}
		awaitConsumed(target, Duration.ofSeconds(60));
	}

	/** Publishers publish as fast as they can for {@code run}; events/s counts consumed events. */
	private static String throughput(Outbox outbox, TransactionTemplate transactions, int publishers,
			int perTransaction, Duration run) throws Exception {
		latencies = new long[2_000_000];
		latencyCount.set(0);
		long startConsumed = consumed.get();
		AtomicLong published = new AtomicLong();
		long start = System.nanoTime();
		long end = start + run.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(publishers);
		for (int p = 0; p < publishers; p++) {
			int publisher = p;
			pool.submit(() -> {
				long sequence = 0;
				while (System.nanoTime() < end) {
					publish(outbox, transactions, "p" + publisher + "-" + (sequence % 20), sequence, perTransaction);
					sequence += perTransaction;
					published.addAndGet(perTransaction);
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(run.toSeconds() + 60, TimeUnit.SECONDS);
		long target = startConsumed + published.get();
		awaitConsumed(target, Duration.ofSeconds(120));
		double seconds = (System.nanoTime() - start) / 1e9;
		long count = published.get();
		long[] sample = Arrays.copyOf(latencies, (int) Math.min(latencyCount.get(), latencies.length));
		return String.format(Locale.ROOT, "| %d | %d | %,d | %.1f | %,.0f | %s | %s |", publishers, perTransaction, count,
				seconds, count / seconds, millis(percentile(sample, 50)), millis(percentile(sample, 99)));
	}

	/** A fixed publish rate; latency from each publisher's commit to the subscriber applying it. */
	private static String latencyAtRate(Outbox outbox, TransactionTemplate transactions, int perSecond, Duration run)
			throws Exception {
		int total = (int) (perSecond * run.toSeconds());
		latencies = new long[total];
		latencyCount.set(0);
		long startConsumed = consumed.get();
		int threads = 4;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch done = new CountDownLatch(threads);
		long start = System.nanoTime();
		long interval = TimeUnit.SECONDS.toNanos(1) * threads / perSecond;
		for (int t = 0; t < threads; t++) {
			int thread = t;
			pool.submit(() -> {
				long next = start + interval * thread / threads;
				for (int i = thread; i < total; i += threads) {
					long wait = next - System.nanoTime();
					if (wait > 0) {
						TimeUnit.NANOSECONDS.sleep(wait); // pacing the open-model load, not synchronisation
					}
					publish(outbox, transactions, "rate-" + (i % 100), i, 1);
					next += interval;
				}
				done.countDown();
				return null;
			});
		}
		done.await();
		pool.shutdown();
		awaitConsumed(startConsumed + total, Duration.ofSeconds(60));
		long[] sample = Arrays.copyOf(latencies, (int) Math.min(latencyCount.get(), latencies.length));
		double seconds = (System.nanoTime() - start) / 1e9;
		return String.format(Locale.ROOT,
				"| %d events/s target, %d publishers | %,d | %.1f | %s | %s | %s | %s |", perSecond, threads, total,
				seconds, millis(percentile(sample, 50)), millis(percentile(sample, 90)), millis(percentile(sample, 99)),
				millis(percentile(sample, 100)));
	}

	private static void publish(Outbox outbox, TransactionTemplate transactions, String subject, long sequence,
			int count) {
		transactions.executeWithoutResult(status -> {
			long now = System.nanoTime();
			for (int i = 0; i < count; i++) {
				outbox.publish(subject, new BenchEvent(subject, sequence + i, now, PADDING));
			}
		});
	}

	private static void awaitConsumed(long target, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (consumed.get() < target) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + consumed.get() + " of " + target + " events consumed in time");
			}
			TimeUnit.MILLISECONDS.sleep(5); // polling a counter in a benchmark driver, not a test
		}
	}

	private static long percentile(long[] values, double percentile) {
		if (values.length == 0) {
			return 0;
		}
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
	}

	private static String millis(long nanos) {
		return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
	}

	private static void write(List<String> throughput, String latency) throws IOException {
		String cpu = Files.readAllLines(Path.of("/proc/cpuinfo"))
			.stream()
			.filter(line -> line.startsWith("model name"))
			.findFirst()
			.map(line -> line.substring(line.indexOf(':') + 1).trim())
			.orElse("unknown");
		String report = """
				# Messaging kernel benchmark, %s

				Machine: %d cores (%s), %s GiB RAM, JDK %s. Embedded PostgreSQL 18 (fsync on, synchronous commit),
				one JVM running publishers, relay and subscriber. Command: `bin/bench-messaging`.

				Each event is a ~300-byte JSON payload. "End to end" counts events published by the publishers and
				applied by one subscriber (inbox row written in its transaction) over the whole run, drain included.
				Latency: from just before the publisher's commit to the subscriber's handler, same JVM clock.

				## Throughput

				| publishers | events per transaction | events | seconds | events/s end to end | p50 latency | p99 latency |
				|---|---|---|---|---|---|---|
				%s

				## Commit-to-consume latency at a fixed rate

				| load | events | seconds | p50 | p90 | p99 | max |
				|---|---|---|---|---|---|---|
				%s
				""".formatted(LocalDate.now(), Runtime.getRuntime().availableProcessors(), cpu,
				ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
						? String.format(Locale.ROOT, "%.0f", os.getTotalMemorySize() / 1024.0 / 1024 / 1024) : "?",
				Runtime.version(), String.join("\n", throughput), latency);
		Path file = Path.of("docs/bench/messaging-" + LocalDate.now() + ".md");
		Files.createDirectories(file.getParent());
		Files.writeString(file, report);
		System.out.println(report);
		System.out.println("Written to " + file);
	}
}
