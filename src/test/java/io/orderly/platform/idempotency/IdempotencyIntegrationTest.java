package io.orderly.platform.idempotency;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.orderly.Http;
import io.orderly.platform.KernelIntegrationTest;
import io.orderly.platform.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@KernelIntegrationTest
class IdempotencyIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	CounterController counters;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	private final String name = "counter-" + UUID.randomUUID();

	@Test
	void replaysTheStoredResponseForTheSameKeyAndRequest() {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		Http.Response first = http.post("/test/counters", body(5, null), Map.of("Idempotency-Key", key));
		Http.Response second = http.post("/test/counters", body(5, null), Map.of("Idempotency-Key", key));

		assertThat(first.status()).isEqualTo(201);
		assertThat(first.header("Idempotent-Replayed")).isNull();
		assertThat(second.status()).isEqualTo(201);
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.header("Location")).isEqualTo(first.header("Location"));
		assertThat(second.header("Content-Type")).isEqualTo(first.header("Content-Type"));
		assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(counters.executions(name)).isEqualTo(1);
	}

	@Test
	void refusesTheSameKeyWithADifferentRequest() {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		http.post("/test/counters", body(5, null), Map.of("Idempotency-Key", key));
		Http.Response other = http.post("/test/counters", body(6, null), Map.of("Idempotency-Key", key));

		assertThat(other.status()).isEqualTo(422);
		assertThat(other.header("Content-Type")).startsWith("application/problem+json");
		assertThat(other.json().get("type").asString()).isEqualTo("/problems/idempotency-key-reused");
		assertThat(counters.executions(name)).isEqualTo(1);
	}

	@Test
	void refusesTheSameKeyWhileTheFirstRequestIsInFlight() throws Exception {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		CompletableFuture<Http.Response> first = CompletableFuture
			.supplyAsync(() -> http.post("/test/counters", body(1, "hold"), Map.of("Idempotency-Key", key)));
		counters.awaitArrival(name);

		Http.Response concurrent = http.post("/test/counters", body(1, "hold"), Map.of("Idempotency-Key", key));
		assertThat(concurrent.status()).isEqualTo(409);
		assertThat(concurrent.json().get("type").asString()).isEqualTo("/problems/idempotency-key-in-flight");

		counters.release(name);
		assertThat(first.get().status()).isEqualTo(201);
		assertThat(http.post("/test/counters", body(1, "hold"), Map.of("Idempotency-Key", key)).body())
			.isEqualTo(first.get().body());
		assertThat(counters.executions(name)).isEqualTo(1);
	}

	@Test
	void executesFiftyConcurrentSameKeyRequestsOnce() throws Exception {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		ExecutorService pool = Executors.newFixedThreadPool(50);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> responses = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				responses.add(pool.submit(() -> {
					start.await();
					return http.post("/test/counters", body(7, null), Map.of("Idempotency-Key", key));
				}));
			}
			start.countDown();
			List<Http.Response> done = new ArrayList<>();
			for (Future<Http.Response> response : responses) {
				done.add(response.get());
			}
			assertThat(counters.executions(name)).isEqualTo(1);
			List<Http.Response> created = done.stream().filter(r -> r.status() == 201).toList();
			assertThat(created).isNotEmpty();
			assertThat(created.stream().map(Http.Response::body).distinct()).hasSize(1);
			assertThat(done).allSatisfy(r -> assertThat(r.status()).isIn(201, 409));
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void storesARefusalAndRollsBackWhatTheRefusedRequestWrote() {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		Http.Response first = http.post("/test/counters", body(1, "refuse"), Map.of("Idempotency-Key", key));
		Http.Response again = http.post("/test/counters", body(1, "refuse"), Map.of("Idempotency-Key", key));

		assertThat(first.status()).isEqualTo(409);
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(counters.executions(name)).isZero();
	}

	@Test
	void letsTheClientRetryAfterAServerFailure() {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		Http.Response failed = http.post("/test/counters", body(1, "fail"), Map.of("Idempotency-Key", key));
		Http.Response retried = http.post("/test/counters", body(1, "fail"), Map.of("Idempotency-Key", key));

		assertThat(failed.status()).isEqualTo(500);
		assertThat(failed.header("Content-Type")).startsWith("application/problem+json");
		assertThat(retried.status()).isEqualTo(500);
		assertThat(retried.header("Idempotent-Replayed")).isNull();
		assertThat(counters.executions(name)).isZero();
	}

	@Test
	void neverTellsNorReplaysASuccessWhoseTransactionWasRolledBack() {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		Http.Response first = http.post("/test/counters", body(1, "roll-back"), Map.of("Idempotency-Key", key));
		Http.Response retried = http.post("/test/counters", body(1, "roll-back"), Map.of("Idempotency-Key", key));

		assertThat(first.status()).isEqualTo(500);
		assertThat(first.header("Content-Type")).startsWith("application/problem+json");
		assertThat(retried.status()).isEqualTo(500);
		assertThat(retried.header("Idempotent-Replayed")).isNull();
		assertThat(counters.executions(name)).isZero();
	}

	@Test
	void runsAgainAKeyThatAnEarlierVersionLeftInFlight() {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		http.post("/test/counters", body(3, null), Map.of("Idempotency-Key", key));
		// As a claim of an earlier version whose request crashed: committed on its own, never completed.
		jdbc.sql("""
				update platform.idempotency_keys set state = 'IN_FLIGHT', response_status = null, response_headers = null,
				    response_body = null
				where key = :key""").param("key", key).update();
		jdbc.sql("delete from public.counter_executions where name = :name").param("name", name).update();

		Http.Response again = http.post("/test/counters", body(3, null), Map.of("Idempotency-Key", key));
		Http.Response replayed = http.post("/test/counters", body(3, null), Map.of("Idempotency-Key", key));

		assertThat(again.status()).isEqualTo(201);
		assertThat(again.header("Idempotent-Replayed")).isNull();
		assertThat(replayed.status()).isEqualTo(201);
		assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(replayed.body()).isEqualTo(again.body());
		assertThat(counters.executions(name)).isEqualTo(1);
	}

	@Test
	void executesAgainOnceTheKeyHasExpired() {
		Http http = new Http(port);
		String key = UUID.randomUUID().toString();
		http.post("/test/counters", body(2, null), Map.of("Idempotency-Key", key));
		clock.advance(Duration.ofHours(2));
		Http.Response afterExpiry = http.post("/test/counters", body(2, null), Map.of("Idempotency-Key", key));

		assertThat(afterExpiry.status()).isEqualTo(201);
		assertThat(afterExpiry.header("Idempotent-Replayed")).isNull();
		assertThat(counters.executions(name)).isEqualTo(2);
	}

	@Test
	void requiresTheKeyWhereTheEndpointDeclaresIt() {
		Http.Response response = new Http(port).post("/test/counters", body(1, null), Map.of());

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(counters.executions(name)).isZero();
	}

	@Test
	void refusesAnInvalidKey() {
		Http.Response response = new Http(port).post("/test/counters", body(1, null),
				Map.of("Idempotency-Key", "x".repeat(300)));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
		assertThat(counters.executions(name)).isZero();
	}

	private String body(int amount, String behaviour) {
		return Http.toJson(new CounterController.Increment(name, amount, behaviour));
	}
}
