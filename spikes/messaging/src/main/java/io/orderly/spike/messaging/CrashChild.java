package io.orderly.spike.messaging;

import java.time.Duration;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * One process of the crash demonstration (started by {@link CrashDemo}): {@code publish} sends
 * 200 events and dies (Runtime.halt) right after the listener's transaction for event 100
 * commits; {@code publish-slow} sends 100 events to a slow listener and waits for them;
 * {@code wait} starts the application and waits until no publication is incomplete
 * (or the time is up). Spring properties come as -D system properties from the parent.
 */
public final class CrashChild {

	static final int EVENTS = 200;

	static final int CRASH_AT = 100;

	static final int SLOW_EVENTS = 100;

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String mode = args[1];
		Duration limit = Duration.ofSeconds(Integer.parseInt(args[2]));
		boolean scheduledResubmit = args.length > 3 && args[3].equals("scheduled-resubmit");
		long incompleteAtStart = incomplete(url);
		Probe probe = new Probe();
		Class<?>[] sources = scheduledResubmit ? new Class<?>[] { ModulithSide.class, Resubmitter.class }
				: new Class<?>[] { ModulithSide.class };
		ConfigurableApplicationContext context = Contexts.start(probe, Contexts.modulith(url), sources);
		long ready = System.nanoTime();
		Publisher publisher = context.getBean(Publisher.class);
		if (mode.equals("publish-slow")) {
			Probe.Phase phase = probe.start(1);
			for (int i = 0; i < SLOW_EVENTS; i++) {
				publisher.publish(phase, i % Pg.AGGREGATES);
			}
			System.out.println("PUBLISHED");
			System.out.flush();
		}
		if (mode.equals("publish")) {
			Probe.Phase phase = probe.start(1);
			for (int i = 0; i < EVENTS; i++) {
				publisher.publish(phase, i % Pg.AGGREGATES);
			}
			Thread.sleep(limit);
			System.out.println("RESULT no-crash");
			System.exit(3);
		}
		long deadline = ready + limit.toNanos();
		long drainedAfter = -1;
		while (System.nanoTime() < deadline) {
			if (publisher.incomplete() == 0) {
				drainedAfter = (System.nanoTime() - ready) / 1_000_000;
				break;
			}
			Thread.sleep(50);
		}
		System.out.println("RESULT " + (incompleteAtStart >= 0 ? "incomplete at start " + incompleteAtStart + ", " : "")
				+ "drained-ms=" + drainedAfter);
		context.close();
		System.exit(0);
	}

	private static long incomplete(String url) {
		try (var connection = java.sql.DriverManager.getConnection(url, "postgres", "");
				var statement = connection.createStatement();
				var rows = statement.executeQuery("select count(*) from event_publication where completion_date is null")) {
			rows.next();
			return rows.getLong(1);
		}
		catch (java.sql.SQLException ex) {
			return -1; // no table yet
		}
	}

	/** What an application has to add itself to get failed or stale publications retried. */
	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class Resubmitter {

		private final FailedEventPublications failed;

		Resubmitter(FailedEventPublications failed) {
			this.failed = failed;
		}

		@Scheduled(fixedDelay = 1000)
		void resubmit() {
			failed.resubmit(ResubmissionOptions.defaults());
		}
	}
}
