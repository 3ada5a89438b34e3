package io.orderly.platform.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL servers of this JVM, one per data folder. Application contexts
 * that share a folder share its server (tests start many contexts; each start of a server
 * costs about two seconds). Servers stop when the JVM exits.
 */
final class EmbeddedPostgresServers {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServers.class);

	private static final Map<String, CompletableFuture<EmbeddedPostgres>> servers = new ConcurrentHashMap<>();

	private EmbeddedPostgresServers() {
	}

	static EmbeddedPostgres serverFor(Path dataDirectory, int port, Map<String, String> settings) {
		if (dataDirectory != null && dataDirectory.toString().isBlank()) {
			dataDirectory = null;
		}
		Path folder = dataDirectory;
		String key = folder == null ? "<temporary>" : folder.toAbsolutePath().normalize().toString();
		return servers.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> start(folder, port, settings))).join();
	}

	/**
	 * Starts the server while Spring builds the rest of the application (the DataSource waits
	 * for it), which takes its two seconds off the startup time.
	 */
	static void startInBackground(Path dataDirectory, int port, Map<String, String> settings) {
		Thread.ofPlatform().name("embedded-postgres-start").daemon().start(() -> {
			try {
				serverFor(dataDirectory, port, settings);
			}
			catch (RuntimeException ex) {
				log.debug("Early start of the embedded PostgreSQL failed; the DataSource will report it", ex);
			}
		});
	}

	private static EmbeddedPostgres start(Path dataDirectory, int port, Map<String, String> settings) {
		long started = System.nanoTime();
		try {
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
					.setPGStartupWait(Duration.ofSeconds(60))
					// Tests keep many application contexts, each with its own pool, on one server.
					.setServerConfig("max_connections", dataDirectory == null ? "1000" : "300")
					.setServerConfig("shared_buffers", "256MB")
					.setServerConfig("max_wal_size", "2GB")
					.setServerConfig("timezone", "UTC");
			if (port > 0) {
				builder.setPort(port);
			}
			if (dataDirectory != null) {
				// Data that survives restarts is written durably; the library's defaults (no fsync,
				// asynchronous commit) suit only the throw-away folders of tests.
				builder.setDataDirectory(dataDirectory.toAbsolutePath().toFile())
					.setCleanDataDirectory(false)
					.setServerConfig("fsync", "on")
					.setServerConfig("synchronous_commit", "on")
					.setServerConfig("full_page_writes", "on");
			}
			settings.forEach(builder::setServerConfig);
			EmbeddedPostgres postgres = builder.start();
			log.info("Embedded PostgreSQL on port {} (data: {}) started in {} ms", postgres.getPort(),
					dataDirectory == null ? "temporary" : dataDirectory.toAbsolutePath(),
					Duration.ofNanos(System.nanoTime() - started).toMillis());
			return postgres;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL", ex);
		}
	}

	static void createDatabaseIfMissing(EmbeddedPostgres server, String database) {
		try (var connection = server.getPostgresDatabase().getConnection();
				var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
			exists.setString(1, database);
			try (var rows = exists.executeQuery()) {
				if (!rows.next()) {
					// The name is checked against [a-z][a-z0-9_]* by DatabaseProperties.
					connection.createStatement().execute("create database " + database);
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + database, ex);
		}
	}
}
