package io.orderly.psp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.orderly.psp.PspClient.newKey;
import static io.orderly.psp.PspClient.newReference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class PspIdempotencyIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@LocalServerPort
	int platformPort;

	@Value("${orderly.psp.port}")
	int pspPort;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	PspClient client;

	final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	@BeforeEach
	void setUp() {
		client = new PspClient(pspPort, platformPort);
		client.resetFaults();
	}

	@AfterEach
	void tearDown() {
		threads.shutdownNow();
		client.resetFaults();
	}

	@Test
	void replaysTheStoredResponseForTheSameKeyAndParameters() {
		String reference = newReference();
		String key = newKey();

		Http.Response first = client.authorize(key, reference, 2598, "tok_ok");
		Http.Response again = client.authorize(key, reference, 2598, "tok_ok");

		assertThat(first.status()).isEqualTo(201);
		assertThat(first.header("Idempotent-Replayed")).isNull();
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.body()).isEqualTo(first.body());
		assertThat(again.header("Location")).isEqualTo(first.header("Location"));
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(authorizations(reference)).hasSize(1);
	}

	@Test
	void replaysACaptureWithoutCapturingAgain() {
		String reference = newReference();
		String id = client.authorize(newKey(), reference, 1000, "tok_ok").json().get("id").asString();
		String key = newKey();

		Http.Response first = client.capture(key, id, 700L);
		Http.Response again = client.capture(key, id, 700L);

		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body()).isEqualTo(first.body());
		JsonNode charge = authorizations(reference).getFirst();
		assertThat(charge.get("capturedMinor").asLong()).isEqualTo(700);
		assertThat(charge.get("operations").valueStream().filter(o -> o.get("type").asString().equals("CAPTURE")))
			.hasSize(1);
	}

	@Test
	void replaysRefusalsLikeAnyOtherResult() {
		String id = client.authorize(newKey(), newReference(), 1000, "tok_ok").json().get("id").asString();
		String key = newKey();

		Http.Response first = client.capture(key, id, 5000L);
		Http.Response again = client.capture(key, id, 5000L);

		assertThat(first.status()).isEqualTo(422);
		assertThat(again.status()).isEqualTo(422);
		assertThat(again.body()).isEqualTo(first.body());
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
	}

	@Test
	void refusesTheSameKeyWithOtherParametersOrOnAnotherEndpoint() {
		String reference = newReference();
		String key = newKey();
		String id = client.authorize(key, reference, 100, "tok_ok").json().get("id").asString();

		Http.Response otherAmount = client.authorize(key, reference, 200, "tok_ok");
		Http.Response otherEndpoint = client.capture(key, id, null);

		assertThat(otherAmount.status()).isEqualTo(422);
		assertThat(otherAmount.json().get("code").asString()).isEqualTo("idempotency_error");
		assertThat(otherEndpoint.status()).isEqualTo(422);
		assertThat(authorizations(reference)).hasSize(1);
		assertThat(authorizations(reference).getFirst().get("status").asString()).isEqualTo("AUTHORIZED");
	}

	@Test
	void createsOneAuthorizationForFiftyConcurrentIdenticalRequests() throws Exception {
		String reference = newReference();
		String key = newKey();
		CountDownLatch start = new CountDownLatch(1);

		List<CompletableFuture<Http.Response>> calls = IntStream.range(0, 50)
			.mapToObj(i -> CompletableFuture.supplyAsync(() -> {
				awaitQuietly(start);
				return client.authorize(key, reference, 2598, "tok_ok");
			}, threads))
			.toList();
		start.countDown();
		List<Http.Response> responses = calls.stream().map(CompletableFuture::join).toList();

		assertThat(authorizations(reference)).hasSize(1);
		// Whether any arrives while the first is still running (409) depends on timing; what arrives after it is a replay (201).
		assertThat(responses).extracting(Http.Response::status).isSubsetOf(201, 409).contains(201);
		assertThat(responses.stream().filter(r -> r.status() == 201).map(Http.Response::body).distinct()).hasSize(1);
		assertThat(responses.stream().filter(r -> r.status() == 409))
			.allSatisfy(r -> assertThat(r.json().get("code").asString()).isEqualTo("idempotency_key_in_use"));
		Http.Response afterwards = client.authorize(key, reference, 2598, "tok_ok");
		assertThat(afterwards.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(afterwards.json().get("id").asString())
			.isEqualTo(authorizations(reference).getFirst().get("id").asString());
	}

	@Test
	void capturesOnceWhenConcurrentCapturesComeWithDifferentKeys() {
		String reference = newReference();
		String id = client.authorize(newKey(), reference, 1000, "tok_ok").json().get("id").asString();

		List<Http.Response> responses = IntStream.range(0, 20)
			.mapToObj(i -> CompletableFuture.supplyAsync(() -> client.capture(newKey(), id, 1000L), threads))
			.toList()
			.stream()
			.map(CompletableFuture::join)
			.toList();

		assertThat(responses.stream().filter(r -> r.status() == 200)).hasSize(1);
		assertThat(responses.stream().filter(r -> r.status() == 409)).hasSize(19);
		assertThat(authorizations(reference).getFirst().get("capturedMinor").asLong()).isEqualTo(1000);
	}

	@Test
	void answers409WhileTheFirstRequestWithTheKeyIsStillRunning() throws Exception {
		String reference = newReference();
		String id = client.authorize(newKey(), reference, 1000, "tok_ok").json().get("id").asString();
		String key = newKey();
		CompletableFuture<Http.Response> first;
		try (Connection blocker = lockAuthorization(id)) {
			first = CompletableFuture.supplyAsync(() -> client.capture(key, id, 1000L), threads);
			await().atMost(DEADLINE).until(() -> keyState(key).equals("IN_FLIGHT") && requestsWaitingOnLocks() == 1);

			Http.Response meanwhile = client.capture(key, id, 1000L);

			assertThat(meanwhile.status()).isEqualTo(409);
			assertThat(meanwhile.json().get("code").asString()).isEqualTo("idempotency_key_in_use");
			assertThat(meanwhile.header("Retry-After")).isEqualTo("1");
			blocker.commit();
		}

		assertThat(first.get().status()).isEqualTo(200);
		Http.Response afterwards = client.capture(key, id, 1000L);
		assertThat(afterwards.body()).isEqualTo(first.get().body());
		assertThat(afterwards.header("Idempotent-Replayed")).isEqualTo("true");
	}

	@Test
	void capturesOnceWhenAnAbandonedClaimIsTakenOver() throws Exception {
		String reference = newReference();
		String id = client.authorize(newKey(), reference, 1000, "tok_ok").json().get("id").asString();
		String key = newKey();
		CompletableFuture<Http.Response> first;
		CompletableFuture<Http.Response> retry;
		try (Connection blocker = lockAuthorization(id)) {
			first = CompletableFuture.supplyAsync(() -> client.capture(key, id, 1000L), threads);
			await().atMost(DEADLINE).until(() -> requestsWaitingOnLocks() == 1);
			// The first request looks dead: its lease ran out, as after a crash.
			jdbc.sql("update psp.idempotency_keys set locked_until = now() - interval '1 second' where key = :key")
				.param("key", key)
				.update();
			retry = CompletableFuture.supplyAsync(() -> client.capture(key, id, 1000L), threads);
			await().atMost(DEADLINE).until(() -> requestsWaitingOnLocks() == 2);
			blocker.commit();
		}

		// Whichever gets the authorization first, only the current claim holder may complete.
		List<Http.Response> responses = List.of(first.get(), retry.get());
		assertThat(responses).extracting(Http.Response::status).containsExactlyInAnyOrder(200, 409);
		Http.Response captured = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
		JsonNode charge = authorizations(reference).getFirst();
		assertThat(charge.get("capturedMinor").asLong()).isEqualTo(1000);
		assertThat(charge.get("operations").valueStream().filter(o -> o.get("type").asString().equals("CAPTURE")))
			.hasSize(1);
		assertThat(client.capture(key, id, 1000L).body()).isEqualTo(captured.body());
	}

	@Test
	void scopesKeysPerAccount() {
		String reference = newReference();
		String key = newKey();
		String body = Http.toJson(Map.of("reference", reference, "amountMinor", 100, "currency", "EUR", "token", "tok_ok"));

		Http.Response a = client.psp.post("/psp/v1/authorizations", body, Map.of("Idempotency-Key", key, "Psp-Account", "shop-a"));
		Http.Response b = client.psp.post("/psp/v1/authorizations", body, Map.of("Idempotency-Key", key, "Psp-Account", "shop-b"));

		assertThat(a.status()).isEqualTo(201);
		assertThat(b.status()).isEqualTo(201);
		assertThat(b.header("Idempotent-Replayed")).isNull();
		assertThat(authorizations(reference)).hasSize(2);
	}

	@Test
	void forgetsKeysAfterTheirTimeToLive() {
		String reference = newReference();
		String key = newKey();
		Http.Response first = client.authorize(key, reference, 100, "tok_ok");
		assertThat(jdbc.sql("select extract(epoch from expires_at - created_at) from psp.idempotency_keys where key = :key")
			.param("key", key)
			.query(Double.class)
			.single()).isEqualTo(Duration.ofHours(24).toSeconds());
		jdbc.sql("update psp.idempotency_keys set expires_at = now() - interval '1 second' where key = :key")
			.param("key", key)
			.update();

		Http.Response afterExpiry = client.authorize(key, reference, 100, "tok_ok");

		assertThat(afterExpiry.status()).isEqualTo(201);
		assertThat(afterExpiry.header("Idempotent-Replayed")).isNull();
		assertThat(afterExpiry.json().get("id").asString()).isNotEqualTo(first.json().get("id").asString());
	}

	private List<JsonNode> authorizations(String reference) {
		return client.charges(reference).json().get("items").valueStream().toList();
	}

	private String keyState(String key) {
		return jdbc.sql("select state from psp.idempotency_keys where key = :key")
			.param("key", key)
			.query(String.class)
			.optional()
			.orElse("");
	}

	private int requestsWaitingOnLocks() {
		return jdbc.sql("""
				select count(*) from pg_stat_activity
				where datname = current_database() and wait_event_type = 'Lock' and query like '%psp.authorizations%'""")
			.query(Integer.class)
			.single();
	}

	/** Holds the authorization's row lock in a transaction of the test's own, until commit. */
	private Connection lockAuthorization(String id) throws Exception {
		Connection connection = dataSource.getConnection();
		connection.setAutoCommit(false);
		try (PreparedStatement lock = connection.prepareStatement("select 1 from psp.authorizations where id = ? for update")) {
			lock.setString(1, id);
			lock.executeQuery().close();
		}
		return connection;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
