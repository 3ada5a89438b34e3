package io.orderly.spike.messaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The measured spike of docs/adr/0001-messaging.md. Starts one embedded PostgreSQL, then for
 * each library configuration and each measurement a fresh database and Spring context:
 * <ul>
 * <li>throughput: N publishers in a closed loop for {@code publishSeconds}, then waits (bounded)
 * until every committed event was consumed; events/s = consumed / (last consume - start);</li>
 * <li>latency: an open loop at a fixed rate (~1,000 events/s, 4 paced publisher threads), commit
 * of the producer's transaction to commit of the consumer's transaction, p50/p90/p99/max.</li>
 * </ul>
 * Every event changes one of 100 aggregates (a row update, which serializes writers of that
 * aggregate) and publishes an event with the aggregate's new version; the consumer applies it
 * to a projection only if the version is newer, so events applied out of per-key order are
 * counted. Then the crash demonstration for Modulith's registry runs in child JVMs.
 *
 * <p>Arguments: {@code --out FILE} (report), {@code --quick} (short runs, for development),
 * {@code --only NAME} (one configuration), {@code --no-crash}.
 */
public final class SpikeMain {

	private record Configuration(String name, Class<?> source, Function<String, Map<String, Object>> properties,
			String notes) {
	}

	private record Row(String configuration, String measurement, String values) {
	}

	private static Duration publishTime = Duration.ofSeconds(10);

	private static Duration drainLimit = Duration.ofSeconds(20);

	private static Duration rateTime = Duration.ofSeconds(15);

	private static Duration rateDrainLimit = Duration.ofSeconds(15);

	private static final int RATE = 1_000;

	private static final int RATE_THREADS = 4;

	public static void main(String[] args) throws Exception {
		Path out = null;
		String only = null;
		boolean crash = true;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--out" -> out = Path.of(args[++i]);
				case "--only" -> only = args[++i];
				case "--no-crash" -> crash = false;
				case "--quick" -> {
					publishTime = Duration.ofSeconds(3);
					drainLimit = Duration.ofSeconds(5);
					rateTime = Duration.ofSeconds(4);
					rateDrainLimit = Duration.ofSeconds(5);
				}
				default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
			}
		}
		String loadBefore = Machine.loadAverage();
		List<Configuration> configurations = List.of(
				new Configuration("modulith-epr", ModulithSide.class, Contexts::modulith,
						"Spring Modulith 2.0.3 JDBC registry, @ApplicationModuleListener, Boot's default "
								+ "applicationTaskExecutor (8 threads), completion-mode update"),
				new Configuration("namastack-default", NamastackSide.class, Contexts::namastack,
						"namastack-outbox 1.6.0 JDBC, defaults: fixed poll 2 s, batch 10 keys, 4-8 handler threads"),
				new Configuration("namastack-tuned", NamastackSide.class, url -> {
					Map<String, Object> properties = Contexts.namastack(url);
					properties.put("namastack.outbox.polling.fixed.interval", "50ms");
					properties.put("namastack.outbox.polling.batch-size", "100");
					properties.put("namastack.outbox.processing.executor-core-pool-size", "8");
					return properties;
				}, "namastack-outbox 1.6.0 JDBC, fixed poll 50 ms, batch 100 keys, 8 handler threads"));

		List<Row> rows = new ArrayList<>();
		List<String> crashLines = new ArrayList<>();
		String pgVersion;
		try (Pg pg = Pg.start()) {
			pgVersion = pg.version();
			int database = 0;
			for (Configuration configuration : configurations) {
				if (only != null && !configuration.name().equals(only)) {
					continue;
				}
				for (int publishers : new int[] { 1, 16 }) {
					String url = pg.createDatabase("spike_" + (++database));
					rows.add(new Row(configuration.name(), "throughput, " + publishers + " publisher(s)",
							measure(configuration, url, probe -> publisher -> throughput(publisher, probe, publishers))));
				}
				String url = pg.createDatabase("spike_" + (++database));
				rows.add(new Row(configuration.name(), "latency at " + RATE + "/s",
						measure(configuration, url, probe -> publisher -> fixedRate(publisher, probe))));
			}
			if (crash && (only == null || only.equals("modulith-epr") || only.equals("crash"))) {
				crashLines = CrashDemo.run(pg);
			}
		}
		String report = report(configurations, rows, crashLines, pgVersion, loadBefore, Machine.loadAverage());
		System.out.println(report);
		if (out != null) {
			Files.createDirectories(out.toAbsolutePath().getParent());
			Files.writeString(out, report);
			System.out.println("Wrote " + out);
		}
		System.exit(0);
	}

	private static String measure(Configuration configuration, String url,
			Function<Probe, Function<Publisher, String>> measurement) {
		Probe probe = new Probe();
		System.out.printf("%s: %s ...%n", configuration.name(), url.replaceAll(".*/", ""));
		try (ConfigurableApplicationContext context = Contexts.start(probe, configuration.properties().apply(url),
				configuration.source())) {
			Publisher publisher = context.getBean(Publisher.class);
			warmUp(publisher, probe);
			String result = measurement.apply(probe).apply(publisher);
			System.out.println("  " + result);
			return result;
		}
	}

	/** 1.5 s with 2 publishers, not measured; leftovers are deleted from the library's table. */
	private static void warmUp(Publisher publisher, Probe probe) {
		Probe.Phase phase = probe.start(1);
		runPublishers(2, Duration.ofMillis(1500), i -> publisher.publish(phase, key()));
		awaitDrained(phase, Duration.ofSeconds(5));
		publisher.clearBacklog();
	}

	private static String throughput(Publisher publisher, Probe probe, int publishers) {
		Probe.Phase phase = probe.start(2);
		long start = System.nanoTime();
		long errors = runPublishers(publishers, publishTime, i -> publisher.publish(phase, key()));
		long published = phase.committed.sum();
		double publishSeconds = (System.nanoTime() - start) / 1e9;
		boolean drained = awaitDrained(phase, drainLimit);
		long consumed = phase.consumed.sum();
		long end = drained ? phase.lastConsumedAt : System.nanoTime();
		double seconds = (end - start) / 1e9;
		long[] latencies = phase.latenciesMicros();
		return String.format(Locale.ROOT,
				"committed %d in %.1f s (%.0f/s); consumed %d, **%.0f events/s end-to-end**%s; "
						+ "p50/p99 under load %.0f/%.0f ms; duplicates %d; out of per-key order %d; errors %d",
				published, publishSeconds, published / publishSeconds, consumed, consumed / seconds,
				drained ? "" : String.format(Locale.ROOT, " (NOT drained after %d s: backlog %d)",
						drainLimit.toSeconds(), published - consumed),
				Probe.percentileMillis(latencies, 50), Probe.percentileMillis(latencies, 99), phase.duplicates.sum(),
				phase.outOfOrder.sum(), errors);
	}

	private static String fixedRate(Publisher publisher, Probe probe) {
		Probe.Phase phase = probe.start(2);
		long start = System.nanoTime();
		long intervalNanos = 1_000_000_000L * RATE_THREADS / RATE;
		long end = start + rateTime.toNanos();
		LongAdder errors = new LongAdder();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < RATE_THREADS; t++) {
			long offset = t * (intervalNanos / RATE_THREADS);
			threads.add(Thread.ofPlatform().name("rate-" + t).start(() -> {
				for (long k = 0;; k++) {
					long target = start + offset + k * intervalNanos;
					if (target >= end) {
						return;
					}
					long wait = target - System.nanoTime();
					if (wait > 0) {
						LockSupport.parkNanos(wait);
					}
					try {
						publisher.publish(phase, key());
					}
					catch (RuntimeException ex) {
						errors.increment();
					}
				}
			}));
		}
		join(threads);
		double seconds = (System.nanoTime() - start) / 1e9;
		long published = phase.committed.sum();
		boolean drained = awaitDrained(phase, rateDrainLimit);
		long[] latencies = phase.latenciesMicros();
		return String.format(Locale.ROOT,
				"committed %d in %.1f s (%.0f/s); consumed %d%s; latency commit-to-consume "
						+ "**p50 %.1f ms, p99 %.1f ms**, p90 %.1f ms, max %.1f ms; duplicates %d; out of per-key order %d; errors %d",
				published, seconds, published / seconds, phase.consumed.sum(),
				drained ? "" : String.format(Locale.ROOT, " (NOT drained after %d s: backlog %d)",
						rateDrainLimit.toSeconds(), published - phase.consumed.sum()),
				Probe.percentileMillis(latencies, 50), Probe.percentileMillis(latencies, 99),
				Probe.percentileMillis(latencies, 90), Probe.percentileMillis(latencies, 100), phase.duplicates.sum(),
				phase.outOfOrder.sum(), errors.sum());
	}

	private static int key() {
		return ThreadLocalRandom.current().nextInt(Pg.AGGREGATES);
	}

	private static long runPublishers(int count, Duration duration, java.util.function.IntConsumer action) {
		long end = System.nanoTime() + duration.toNanos();
		LongAdder errors = new LongAdder();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < count; t++) {
			int index = t;
			threads.add(Thread.ofPlatform().name("publisher-" + t).start(() -> {
				while (System.nanoTime() < end) {
					try {
						action.accept(index);
					}
					catch (RuntimeException ex) {
						errors.increment();
					}
				}
			}));
		}
		join(threads);
		return errors.sum();
	}

	private static boolean awaitDrained(Probe.Phase phase, Duration limit) {
		long deadline = System.nanoTime() + limit.toNanos();
		while (System.nanoTime() < deadline) {
			if (phase.consumed.sum() >= phase.committed.sum()) {
				return true;
			}
			LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
		}
		return phase.consumed.sum() >= phase.committed.sum();
	}

	private static void join(List<Thread> threads) {
		for (Thread thread : threads) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private static String report(List<Configuration> configurations, List<Row> rows, List<String> crashLines,
			String pgVersion, String loadBefore, String loadAfter) {
		StringBuilder md = new StringBuilder();
		md.append("# Messaging spike, ").append(LocalDate.now()).append("\n\n");
		md.append("Produced by `spikes/messaging/run.sh` (source in `spikes/messaging/`), for docs/adr/0001-messaging.md.\n\n");
		md.append("## Machine\n\n");
		Map<String, String> machine = new LinkedHashMap<>();
		machine.put("date", ZonedDateTime.now().withNano(0).toString());
		machine.put("nproc", Machine.nproc());
		machine.put("CPU", Machine.cpuModel());
		machine.put("memory", Machine.memory());
		machine.put("JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
		machine.put("PostgreSQL", pgVersion + " (io.zonky embedded, max_connections 300, shared_buffers 256MB, "
				+ "synchronous_commit on), same JVM host, localhost");
		machine.put("load average before / after", loadBefore + " / " + loadAfter);
		machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
		md.append("- note: the 2 cores are shared with other engineers' builds; the load average shows how busy the"
				+ " machine was. Numbers are indicative (single run each), not a controlled benchmark.\n\n");
		md.append("## Method\n\n");
		md.append("- Each event: one transaction that updates one of ").append(Pg.AGGREGATES)
			.append(" aggregate rows (random key) and publishes the event through the library in that transaction.\n");
		md.append("- Consumer: one subscriber; its effect (projection update only if the aggregate version is newer,"
				+ " plus an effect row) commits in its own transaction; the time of that commit is 'consumed'.\n");
		md.append("- Throughput: closed loop, ").append(publishTime.toSeconds())
			.append(" s of publishing, then wait (at most ").append(drainLimit.toSeconds())
			.append(" s) until all are consumed. events/s = consumed / (last consume - start).\n");
		md.append("- Latency: open loop at ").append(RATE).append(" events/s (").append(RATE_THREADS)
			.append(" paced threads) for ").append(rateTime.toSeconds())
			.append(" s; producer commit to consumer commit.\n");
		md.append("- Each measurement: fresh database and Spring context, 1.5 s warm-up (2 publishers) not counted.\n");
		md.append("- 'out of per-key order': consumer saw an aggregate version older than one it had applied.\n\n");
		md.append("## Configurations\n\n");
		configurations.forEach(c -> md.append("- `").append(c.name()).append("`: ").append(c.notes()).append('\n'));
		md.append("\n## Results\n\n| configuration | measurement | result |\n|---|---|---|\n");
		rows.forEach(r -> md.append("| ").append(r.configuration()).append(" | ").append(r.measurement()).append(" | ")
			.append(r.values()).append(" |\n"));
		if (!crashLines.isEmpty()) {
			md.append("\n## Crash between listener commit and completion (Spring Modulith 2.0.3)\n\n");
			crashLines.forEach(line -> md.append(line).append('\n'));
		}
		return md.toString();
	}

	static final class Machine {

		static String nproc() {
			return command("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
		}

		static String cpuModel() {
			String lscpu = command("lscpu", "");
			return lscpu.lines()
				.filter(line -> line.startsWith("Model name:"))
				.map(line -> line.substring("Model name:".length()).trim())
				.findFirst()
				.orElse("unknown");
		}

		static String memory() {
			try {
				return Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\s+", " ");
			}
			catch (IOException ex) {
				return "unknown";
			}
		}

		static String loadAverage() {
			try {
				String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
				return fields[0] + " " + fields[1] + " " + fields[2];
			}
			catch (IOException ex) {
				return "unknown";
			}
		}

		private static String command(String command, String fallback) {
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
				String output = new String(process.getInputStream().readAllBytes()).trim();
				return process.waitFor() == 0 ? output : fallback;
			}
			catch (IOException | InterruptedException ex) {
				return fallback;
			}
		}
	}
}
