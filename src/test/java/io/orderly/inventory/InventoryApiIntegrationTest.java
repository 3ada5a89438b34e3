package io.orderly.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.orderly.Http;
import io.orderly.inventory.ReserveStock.Line;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stock levels and adjustments over HTTP, as an operator uses them. */
@InventoryIntegrationTest
class InventoryApiIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Replies replies;

	private Http http;

	private final String sku = "A" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeEach
	void createProduct() {
		http = new Http(port);
		assertThat(http.put("/v1/products/" + sku, """
				{"name": "Lamp", "priceMinor": 4999, "currency": "EUR"}""", Map.of()).status()).isEqualTo(200);
	}

	@Test
	void aNewProductHasNoStock() {
		Http.Response levels = http.get("/v1/inventory/" + sku);
		assertThat(levels.status()).isEqualTo(200);
		assertThat(levels.json().toString())
			.isEqualTo("{\"sku\":\"%s\",\"onHand\":0,\"reserved\":0,\"available\":0}".formatted(sku));
	}

	@Test
	void anAdjustmentAnswersWithTheNewLevelsAndAppliesOncePerIdempotencyKey() {
		String key = UUID.randomUUID().toString();
		Http.Response first = adjust(100, "restock", key);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().toString())
			.isEqualTo("{\"sku\":\"%s\",\"onHand\":100,\"reserved\":0,\"available\":100}".formatted(sku));

		Http.Response replayed = adjust(100, "restock", key);
		assertThat(replayed.status()).isEqualTo(200);
		assertThat(replayed.body()).isEqualTo(first.body());
		assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");

		assertThat(adjust(-30, "damaged in storage", UUID.randomUUID().toString()).json().get("onHand").asLong()).isEqualTo(70);
		assertThat(levels().get("onHand").asLong()).isEqualTo(70);
		assertThat(adjustmentsOf(sku)).isEqualTo(2);
	}

	@Test
	void concurrentAdjustmentsNeverLoseAnUpdate() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(25);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Http.Response>> responses = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				responses.add(pool.submit(() -> {
					start.await();
					return adjust(1, "restock", UUID.randomUUID().toString());
				}));
			}
			start.countDown();
			for (Future<Http.Response> response : responses) {
				assertThat(response.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(levels().get("onHand").asLong()).isEqualTo(50);
		assertThat(adjustmentsOf(sku)).isEqualTo(50);
	}

	@Test
	void refusesAnAdjustmentThatWouldLeaveLessOnHandThanReservedAndChangesNothing() {
		adjust(10, "restock", UUID.randomUUID().toString());
		String orderId = "o-" + UUID.randomUUID();
		replies.send(orderId, new ReserveStock(orderId, List.of(new Line(sku, 4))));
		await().until(() -> levels().get("reserved").asLong() == 4);

		Http.Response negative = adjust(-11, "stocktake", UUID.randomUUID().toString());
		assertThat(negative.status()).isEqualTo(409);
		assertThat(negative.header("Content-Type")).startsWith("application/problem+json");
		assertThat(negative.json().get("type").asString()).isEqualTo("/problems/insufficient-stock");

		Http.Response belowReserved = adjust(-7, "stocktake", UUID.randomUUID().toString());
		assertThat(belowReserved.status()).isEqualTo(409);
		assertThat(belowReserved.json().get("reserved").asLong()).isEqualTo(4);

		assertThat(levels().toString())
			.isEqualTo("{\"sku\":\"%s\",\"onHand\":10,\"reserved\":4,\"available\":6}".formatted(sku));
		assertThat(adjustmentsOf(sku)).isEqualTo(1);
		assertThat(adjust(-6, "stocktake", UUID.randomUUID().toString()).json().get("available").asLong()).isZero();
	}

	@Test
	void answersUnknownSkusWithNotFound() {
		String unknown = "NOPE" + UUID.randomUUID().toString().substring(0, 8);
		Http.Response levels = http.get("/v1/inventory/" + unknown);
		assertThat(levels.status()).isEqualTo(404);
		assertThat(levels.header("Content-Type")).startsWith("application/problem+json");

		Http.Response adjustment = http.post("/v1/inventory/" + unknown + "/adjustments",
				"{\"delta\": 5, \"reason\": \"restock\"}", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(adjustment.status()).isEqualTo(404);
		assertThat(adjustment.json().get("type").asString()).isEqualTo("/problems/not-found");
		assertThat(adjustmentsOf(unknown)).isZero();
	}

	@Test
	void refusesBadAdjustmentsWithAProblemNamingEachFieldAndChangesNothing() {
		adjust(10, "restock", UUID.randomUUID().toString());

		Http.Response noKey = http.post(path(), "{\"delta\": 5, \"reason\": \"restock\"}", Map.of());
		assertThat(noKey.status()).isEqualTo(400);
		assertThat(noKey.header("Content-Type")).startsWith("application/problem+json");

		Http.Response missing = post("{}");
		assertThat(missing.status()).isEqualTo(400);
		assertThat(fields(missing)).containsExactlyInAnyOrder("delta", "reason");

		Http.Response blank = post("{\"delta\": 5, \"reason\": \" \"}");
		assertThat(fields(blank)).containsExactly("reason");

		Http.Response huge = post("{\"delta\": 99999999999, \"reason\": \"restock\"}");
		assertThat(fields(huge)).containsExactly("delta");

		Http.Response text = post("{\"delta\": \"many\", \"reason\": \"restock\"}");
		assertThat(text.status()).isEqualTo(400);
		assertThat(fields(text)).containsExactly("delta");

		assertThat(fields(post("{\"delta\": 2.5, \"reason\": \"restock\"}"))).containsExactly("delta");
		assertThat(fields(post("{\"delta\": \"5\", \"reason\": \"restock\"}"))).containsExactly("delta");

		Http.Response malformed = post("{\"delta\": 5, \"reason\": ");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");

		assertThat(levels().get("onHand").asLong()).isEqualTo(10);
		assertThat(adjustmentsOf(sku)).isEqualTo(1);
	}

	private Http.Response adjust(long delta, String reason, String key) {
		return http.post(path(), "{\"delta\": %d, \"reason\": \"%s\"}".formatted(delta, reason),
				Map.of("Idempotency-Key", key));
	}

	private Http.Response post(String body) {
		return http.post(path(), body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
	}

	private String path() {
		return "/v1/inventory/" + sku + "/adjustments";
	}

	private JsonNode levels() {
		return http.get("/v1/inventory/" + sku).json();
	}

	private long adjustmentsOf(String sku) {
		return jdbc.sql("select count(*) from inventory.stock_adjustments where sku = :sku")
			.param("sku", sku)
			.query(Long.class)
			.single();
	}

	static List<String> fields(Http.Response problem) {
		assertThat(problem.status()).as(problem.body()).isEqualTo(400);
		assertThat(problem.header("Content-Type")).startsWith("application/problem+json");
		assertThat(problem.json().has("errors")).as("a validation problem names the bad fields: " + problem.body()).isTrue();
		List<String> fields = new ArrayList<>();
		problem.json().get("errors").forEach(error -> fields.add(error.get("field").asString()));
		return fields;
	}
}
