package io.orderly.spike.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL (io.zonky, real binaries from a Maven artifact) configured as the
 * platform configures it (src/main/java/io/orderly/platform/db/EmbeddedPostgresServers.java).
 */
final class Pg implements AutoCloseable {

	static final int AGGREGATES = 100;

	private final EmbeddedPostgres postgres;

	private Pg(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	static Pg start() {
		try {
			return new Pg(EmbeddedPostgres.builder()
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("max_connections", "300")
				.setServerConfig("shared_buffers", "256MB")
				.setServerConfig("max_wal_size", "2GB")
				.setServerConfig("timezone", "UTC")
				.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String version() {
		try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
				var rs = s.executeQuery("show server_version")) {
			rs.next();
			return rs.getString(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Creates an empty database with the spike's own tables; returns its JDBC URL. */
	String createDatabase(String name) {
		try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		String url = postgres.getJdbcUrl("postgres", name);
		try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
			s.execute("create table spike_aggregate (id int primary key, version bigint not null)");
			s.execute("create table spike_projection (key int primary key, last_seq bigint not null)");
			s.execute("create table spike_effect (phase int not null, n int not null)");
			s.execute("insert into spike_aggregate select g, 0 from generate_series(0, " + (AGGREGATES - 1) + ") g");
			s.execute("insert into spike_projection select g, 0 from generate_series(0, " + (AGGREGATES - 1) + ") g");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return url;
	}

	@Override
	public void close() throws IOException {
		postgres.close();
	}
}
