package io.orderly.platform.db;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the platform keeps its data.
 *
 * @param embedded      run a PostgreSQL of our own (real binaries from Maven Central) instead
 *                      of connecting to {@code spring.datasource.url}
 * @param dataDirectory the embedded server's data folder; it survives restarts. Empty means a
 *                      throw-away folder (tests)
 * @param port          the embedded server's port; 0 picks a free one
 * @param database      the database to use on the embedded server; created when missing
 * @param isolated      give this application context a database of its own on the shared
 *                      embedded server (tests that must not see each other's messages)
 * @param probeInterval how often {@link DatabaseReachability} checks that the database can be
 *                      reached (also the check's timeout, at least a second)
 * @param probeFailures failed checks in a row after which the database counts as unreachable
 * @param serverSettings settings for the embedded server, as in postgresql.conf (for example
 *                      {@code shared_preload_libraries=pg_stat_statements}, which
 *                      {@code bin/profile-checkout} sets); they override the platform's own
 */
@ConfigurationProperties("orderly.database")
public record DatabaseProperties(
		@DefaultValue("true") boolean embedded,
		Path dataDirectory,
		@DefaultValue("0") int port,
		@DefaultValue("orderly") String database,
		@DefaultValue("false") boolean isolated,
		@DefaultValue("500ms") java.time.Duration probeInterval,
		@DefaultValue("2") int probeFailures,
		java.util.Map<String, String> serverSettings) {

	public DatabaseProperties {
		serverSettings = serverSettings == null ? java.util.Map.of() : java.util.Map.copyOf(serverSettings);
		if (port < 0 || port > 65535) {
			throw new IllegalArgumentException("orderly.database.port must be 0..65535, was " + port);
		}
		if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
			throw new IllegalArgumentException("orderly.database.database must be a plain lower-case name, was " + database);
		}
	}
}
