package io.orderly.platform.messaging;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import javax.sql.DataSource;

import io.orderly.platform.LogEvery;
import io.orderly.platform.db.DatabaseReachability;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The one connection per process that LISTENs, on every channel a {@link Notifications}
 * listener asked for, and hands each signal to them. It runs in every process, whether or not
 * the process moves messages: an API-only instance must hear revocations, evictions and saga
 * progress too. After (re)connecting it tells every listener that it may have missed signals;
 * nothing a listener does escapes into this thread. It probes the connection every ten seconds,
 * with a deadline, so that one which died silently is replaced.
 */
final class NotificationListener implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

	private final DataSource dataSource;

	private final Notifications notifications;

	private static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);

	private static final Duration PROBE_DEADLINE = Duration.ofSeconds(10);

	private final LogEvery withoutDatabase = new LogEvery(Duration.ofSeconds(1));

	private volatile Thread thread;

	NotificationListener(DataSource dataSource, Notifications notifications) {
		this.dataSource = dataSource;
		this.notifications = notifications;
	}

	@Override
	public synchronized void start() {
		if (thread == null) {
			thread = Thread.ofPlatform().name("orderly-notifications").daemon().unstarted(this::listen);
			thread.start();
		}
	}

	@Override
	public synchronized void stop() {
		thread = null;
	}

	@Override
	public boolean isRunning() {
		return thread != null;
	}

	@Override
	public int getPhase() {
		// Before the workers that depend on its signals start, after they stop.
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

	private boolean running() {
		return thread == Thread.currentThread();
	}

	private void listen() {
		while (running()) {
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				connection.setAutoCommit(true);
				Set<String> listening = new HashSet<>();
				PGConnection pg = connection.unwrap(PGConnection.class);
				for (String channel : notifications.channels()) {
					statement.execute("listen " + channel);
					listening.add(channel);
				}
				// A connection that died without a word (a dropped route, a killed firewall state) would
				// leave getNotifications waiting on silence for ever: a probe at this interval, with a deadline.
				connection.setNetworkTimeout(Runnable::run, (int) PROBE_DEADLINE.toMillis());
				// Anything signalled before LISTEN took effect was missed.
				notifications.restarted();
				long probeAt = System.nanoTime() + PROBE_INTERVAL.toNanos();
				while (running()) {
					if (System.nanoTime() - probeAt >= 0) {
						statement.execute("select 1");
						probeAt = System.nanoTime() + PROBE_INTERVAL.toNanos();
					}
					for (String channel : notifications.channels()) {
						if (listening.add(channel)) {
							statement.execute("listen " + channel);
						}
					}
					PGNotification[] received = pg.getNotifications(500);
					if (received == null) {
						continue;
					}
					for (PGNotification notification : received) {
						notifications.deliver(notification.getName(), notification.getParameter());
					}
				}
			}
			catch (Exception ex) {
				if (running()) {
					if (!DatabaseReachability.isConnectionFailure(ex)) {
						log.warn("Lost the notification connection; reconnecting", ex);
					}
					else if (withoutDatabase.occurred() > 0) {
						log.warn("No notification connection: the database gave none; reconnecting");
					}
					try {
						Thread.sleep(Duration.ofMillis(500)); // reconnect backoff, not synchronisation
					}
					catch (InterruptedException interrupted) {
						return;
					}
				}
			}
		}
	}
}
