package io.orderly.spike.messaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Crash between the listener's commit and the registry's completion, with Spring Modulith's
 * JDBC registry: what is redelivered, when, and whether the effect is applied twice. The
 * database stays up in this (parent) process; the application runs in child JVMs.
 */
final class CrashDemo {

	private static final String CRASH = "-Dspike.crash-at=" + CrashChild.CRASH_AT;

	private CrashDemo() {
	}

	static List<String> run(Pg pg) throws Exception {
		List<String> lines = new ArrayList<>();
		lines.add("Child JVMs against the same database. Process 1 publishes " + CrashChild.EVENTS
				+ " events (one per transaction) and halts (Runtime.halt, like kill -9) right after the listener's"
				+ " transaction for event #" + CrashChild.CRASH_AT + " commits, before the registry marks it completed.\n");
		lines.add("| step | process exit | incomplete publications (by status) | effect rows | distinct events applied | events applied twice |");
		lines.add("|---|---|---|---|---|---|");

		String url = pg.createDatabase("spike_crash_a");
		step(lines, url, "A1 publish, crash", child(url, "publish", 10, CRASH));
		step(lines, url, "A2 restart, defaults (republish-outstanding-events-on-restart=false), wait 8 s",
				child(url, "wait", 8));
		step(lines, url, "A3 restart with republish-outstanding-events-on-restart=true",
				child(url, "wait", 15, "-Dspring.modulith.events.republish-outstanding-events-on-restart=true"));

		String url2 = pg.createDatabase("spike_crash_b");
		step(lines, url2, "B1 publish, crash", child(url2, "publish", 10, CRASH));
		step(lines, url2,
				"B2 restart without republish; staleness monitor (published/processing 3 s, check every 1 s) + "
						+ "the app's own @Scheduled FailedEventPublications.resubmit() every 1 s",
				child(url2, "wait", 25, "-Dspring.modulith.events.staleness.published=3s",
						"-Dspring.modulith.events.staleness.processing=3s",
						"-Dspring.modulith.events.staleness.resubmission=30s",
						"-Dspring.modulith.events.staleness.check-intervall=1s", "scheduled-resubmit"));

		String url3 = pg.createDatabase("spike_crash_c");
		Started slow = start(url3, "publish-slow", 90, "-Dspike.listener-delay-ms=3000");
		slow.awaitLine("PUBLISHED", 60);
		Outcome second = child(url3, "wait", 60, "-Dspring.modulith.events.republish-outstanding-events-on-restart=true");
		step(lines, url3, "C1+C2 instance 1 publishes " + CrashChild.SLOW_EVENTS
				+ " events to a slow listener (3 s each, 8 async threads, no crash); instance 2 starts with "
				+ "republish-outstanding-events-on-restart=true meanwhile (state when instance 2 is done)", second);
		step(lines, url3, "C3 instance 1 finished", slow.finish(120));
		lines.add("");
		lines.add("'drained' = time from context start until no incomplete publication remained; -1 = never within the limit.");
		return lines;
	}

	private record Outcome(int exit, String result) {
	}

	private record Started(Process process, Path log, String mode) {

		void awaitLine(String line, int seconds) throws IOException, InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			while (System.nanoTime() < deadline && process.isAlive()) {
				if (Files.readAllLines(log).contains(line)) {
					return;
				}
				Thread.sleep(50);
			}
		}

		Outcome finish(int seconds) throws IOException, InterruptedException {
			if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor();
			}
			String result = Files.readAllLines(log)
				.stream()
				.filter(l -> l.startsWith("RESULT "))
				.map(l -> l.substring(7))
				.findFirst()
				.orElse("");
			System.out.printf("crash demo: %s -> exit %d %s (log %s)%n", mode, process.exitValue(), result, log);
			return new Outcome(process.exitValue(), result);
		}
	}

	private static Outcome child(String url, String mode, int seconds, String... extra) throws IOException,
			InterruptedException {
		return start(url, mode, seconds, extra).finish(seconds + 60);
	}

	private static Started start(String url, String mode, int seconds, String... extra) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		List<String> arguments = new ArrayList<>();
		for (String e : extra) {
			if (e.startsWith("-D")) {
				command.add(e);
			}
			else {
				arguments.add(e);
			}
		}
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(CrashChild.class.getName());
		command.add(url);
		command.add(mode);
		command.add(String.valueOf(seconds));
		command.addAll(arguments);
		Path log = Files.createTempFile("crash-child-", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new Started(process, log, mode);
	}

	private static void step(List<String> lines, String url, String step, Outcome outcome) throws SQLException {
		try (Connection c = DriverManager.getConnection(url, "postgres", ""); var s = c.createStatement()) {
			String incomplete;
			try (var rs = s.executeQuery("select coalesce(string_agg(status || ' ' || n, ', '), 'none') from "
					+ "(select status, count(*) n from event_publication where completion_date is null group by status) x")) {
				rs.next();
				incomplete = rs.getString(1);
			}
			long effects;
			long distinct;
			long twice;
			try (var rs = s.executeQuery("select count(*), count(distinct n) from spike_effect")) {
				rs.next();
				effects = rs.getLong(1);
				distinct = rs.getLong(2);
			}
			try (var rs = s.executeQuery(
					"select count(*) from (select n from spike_effect group by n having count(*) > 1) d")) {
				rs.next();
				twice = rs.getLong(1);
			}
			String exit = outcome.exit() + (outcome.result().isEmpty() ? "" : " (" + outcome.result() + ")");
			lines.add("| " + step + " | " + exit + " | " + incomplete + " | " + effects + " | " + distinct + " | "
					+ twice + " |");
		}
	}
}
