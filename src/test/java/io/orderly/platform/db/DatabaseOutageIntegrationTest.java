package io.orderly.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.zaxxer.hikari.HikariDataSource;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The platform on an external database that goes away: requests that need it answer a 503
 * problem with Retry-After at once (not after the pool's connection timeout), readiness
 * refuses traffic, requests that do not need it keep working; when the database is back,
 * service returns by itself.
 */
@IntegrationTest
class DatabaseOutageIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	/** Long, so that the old behaviour (every request waits it out) cannot pass for fast failure. */
	private static final int POOL_TIMEOUT_MS = 10_000;

	private static TcpGate gate;

	@LocalServerPort
	int port;

	@Autowired
	HikariDataSource pool;

	@DynamicPropertySource
	static void databaseBehindAGate(DynamicPropertyRegistry registry) {
		EmbeddedPostgres server = EmbeddedPostgresServers.serverFor(null, 0, java.util.Map.of());
		String database = "outage_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
		EmbeddedPostgresServers.createDatabaseIfMissing(server, database);
		try {
			gate = new TcpGate(server.getPort());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		registry.add("orderly.database.embedded", () -> "false");
		registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + gate.port() + "/" + database);
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.hikari.connection-timeout", () -> Integer.toString(POOL_TIMEOUT_MS));
		registry.add("orderly.rate-limits.store", () -> "local");
	}

	@AfterAll
	static void closeGate() throws IOException {
		gate.close();
	}

	@Test
	void requestsFailFastWhileTheDatabaseIsAwayAndServiceReturnsWhenItIsBack() {
		Http admin = Http.as(port, "admin");
		Http anonymous = Http.anonymous(port);
		assertThat(admin.get("/v1/orders?customerId=outage").status()).isEqualTo(200);

		gate.shut();
		try {
			// The probe notices within about a second; asking the API before it has would wait the pool out.
			await().atMost(DEADLINE).until(() -> ((PlatformDataSource) pool).refusesConnections());
			assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(503);

			long started = System.nanoTime();
			Http.Response refused = admin.get("/v1/orders?customerId=outage");
			Duration took = Duration.ofNanos(System.nanoTime() - started);

			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.body()).contains("/problems/database-unavailable");
			assertThat(refused.header("Retry-After")).isEqualTo("2");
			assertThat(took).as("answered without waiting for the pool's connection timeout")
				.isLessThan(Duration.ofMillis(POOL_TIMEOUT_MS / 2));

			Http.Response write = admin.post("/v1/links", "{\"url\":\"https://example.com/outage\"}",
					java.util.Map.of("Content-Type", "application/json", "Idempotency-Key", "outage-1"));
			assertThat(write.status()).as("a write through the idempotency filter").isEqualTo(503);
			assertThat(write.body()).contains("/problems/database-unavailable");

			assertThat(anonymous.get("/hello").status()).as("what needs no database keeps working").isEqualTo(200);
			assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
		}
		finally {
			gate.reopen();
		}

		await().atMost(DEADLINE).until(() -> anonymous.get("/actuator/health/readiness").status() == 200);
		assertThat(admin.get("/v1/orders?customerId=outage").status()).isEqualTo(200);
		assertThat(((PlatformDataSource) pool).refusesConnections()).isFalse();
		assertThat(admin.post("/v1/links", "{\"url\":\"https://example.com/outage\"}",
				java.util.Map.of("Content-Type", "application/json", "Idempotency-Key", "outage-1")).status())
			.as("the refused write, retried with its key").isEqualTo(201);
	}
}
