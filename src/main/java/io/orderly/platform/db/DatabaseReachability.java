package io.orderly.platform.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether the database can be reached, known within about a second, so that requests fail
 * fast while it cannot. A connection of its own (outside the pool, short connect and socket
 * timeouts) is checked every {@code probe-interval}; after {@code probe-failures} failures in a
 * row the database counts as unreachable: the pool refuses connections at once (requests that
 * need one answer a 503 problem at once instead of waiting
 * {@code spring.datasource.hikari.connection-timeout} each), and readiness turns to refusing
 * traffic. The first successful check restores both. Without this, each request during an
 * outage waited the whole pool timeout before failing.
 */
public class DatabaseReachability implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DatabaseReachability.class);

	private final HikariDataSource pool;

	private final ApplicationEventPublisher events;

	private final Duration interval;

	private final int failuresToTrip;

	private ScheduledExecutorService probe;

	private Connection connection;

	private int failuresInARow;

	private volatile boolean reachable = true;

	DatabaseReachability(DataSource dataSource, ApplicationEventPublisher events, Duration interval, int failuresToTrip) {
		if (!(dataSource instanceof HikariDataSource hikari)) {
			throw new IllegalStateException("Expected the platform's Hikari pool, found " + dataSource.getClass());
		}
		this.pool = hikari;
		this.events = events;
		this.interval = interval;
		this.failuresToTrip = failuresToTrip;
	}

	/** Whether {@code failure} (or what caused it) says the database gave no connection or lost it. */
	public static boolean isConnectionFailure(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
					|| t instanceof DataAccessResourceFailureException || t instanceof SQLTransientConnectionException) {
				return true;
			}
		}
		return false;
	}

	/** False from the moment the probe found the database unreachable until it finds it again. */
	public boolean reachable() {
		return reachable;
	}

	void check() {
		boolean ok;
		try {
			if (connection == null || connection.isClosed()) {
				connection = open();
			}
			ok = connection.isValid((int) Math.max(1, interval.toSeconds()));
		}
		catch (SQLException | RuntimeException ex) {
			ok = false;
		}
		if (!ok) {
			closeConnection();
		}
		record(ok);
	}

	void record(boolean ok) {
		if (ok) {
			failuresInARow = 0;
			if (!reachable) {
				reachable = true;
				refuse(false);
				AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
				log.info("The database is reachable again: requests use it as before");
			}
			return;
		}
		failuresInARow++;
		if (reachable && failuresInARow >= failuresToTrip) {
			reachable = false;
			refuse(true);
			AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
			log.warn("The database cannot be reached ({} checks in a row failed): requests that need it answer 503 "
					+ "at once, readiness refuses traffic, until a check succeeds", failuresInARow);
		}
	}

	private void refuse(boolean refuse) {
		if (pool instanceof PlatformDataSource platform) {
			platform.refuseConnections(refuse);
		}
	}

	private Connection open() throws SQLException {
		Properties properties = new Properties();
		if (pool.getUsername() != null) {
			properties.setProperty("user", pool.getUsername());
		}
		if (pool.getPassword() != null) {
			properties.setProperty("password", pool.getPassword());
		}
		String seconds = Long.toString(Math.max(1, interval.toSeconds()));
		properties.setProperty("connectTimeout", seconds);
		properties.setProperty("socketTimeout", seconds);
		properties.setProperty("loginTimeout", seconds);
		properties.setProperty("ApplicationName", "orderly-reachability");
		return DriverManager.getConnection(pool.getJdbcUrl(), properties);
	}

	private void closeConnection() {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// Already broken: nothing to release.
			}
			connection = null;
		}
	}

	@Override
	public synchronized void start() {
		probe = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("db-reachability").factory());
		probe.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (probe != null) {
			probe.shutdownNow();
			try {
				probe.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			probe = null;
			closeConnection();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return probe != null;
	}
}
