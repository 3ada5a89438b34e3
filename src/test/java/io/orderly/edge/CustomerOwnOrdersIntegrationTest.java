package io.orderly.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

/** A customer sees and acts on their own orders only; the customer id comes from the token. */
@IntegrationTest
class CustomerOwnOrdersIntegrationTest {

	@LocalServerPort
	int port;

	Http alice;

	Http bob;

	String sku;

	@BeforeEach
	void products() {
		alice = Http.as(port, "alice");
		bob = Http.as(port, "bob");
		sku = "OWN-" + UUID.randomUUID().toString().substring(0, 8);
		Http operator = Http.as(port, "operator");
		assertThat(operator.put("/v1/products/" + sku, "{\"name\": \"Cup\", \"priceMinor\": 500, \"currency\": \"EUR\"}",
				Map.of()).status()).isEqualTo(200);
		assertThat(operator.post("/v1/inventory/" + sku + "/adjustments", "{\"delta\": 50, \"reason\": \"restock\"}",
				Map.of("Idempotency-Key", UUID.randomUUID().toString())).status()).isEqualTo(200);
	}

	private String order(String customerField, String lineExtras) {
		return """
				{%s "items": [{"sku": "%s", "quantity": 1 %s}],
				 "shippingAddress": {"name": "Alice", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"},
				 "paymentToken": "tok_ok", "status": "CONFIRMED", "role": "admin"}""".formatted(customerField, sku, lineExtras);
	}

	private Http.Response place(Http http, String body) {
		return http.post("/v1/orders", body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
	}

	@Test
	void aCustomersOrderIsForThemselfWhateverTheBodySays() {
		Http.Response placed = place(alice, order("", ", \"priceMinor\": 1, \"unitPriceMinor\": 1"));

		assertThat(placed.status()).as(placed.body()).isEqualTo(202);
		JsonNode order = placed.json();
		assertThat(order.get("customerId").asString()).isEqualTo("alice");
		assertThat(order.get("status").asString()).isEqualTo("PENDING");
		assertThat(order.get("items").get(0).get("unitPriceMinor").asLong()).isEqualTo(500);
		assertThat(place(alice, order("\"customerId\": \"alice\",", "")).status()).isEqualTo(202);
	}

	@Test
	void aCustomerCannotOrderForAnotherAndNothingIsStored() {
		String before = Http.as(port, "admin").get("/v1/orders?customerId=bob&limit=100").body();

		Http.Response refused = place(alice, order("\"customerId\": \"bob\",", ""));

		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
		assertThat(Http.as(port, "admin").get("/v1/orders?customerId=bob&limit=100").body()).isEqualTo(before);
	}

	@Test
	void anotherCustomersOrderAnswersExactlyLikeAMissingOne() {
		String id = place(alice, order("", "")).json().get("id").asString();
		String missing = id.substring(0, id.length() - 4) + "ffff";

		Http.Response others = bob.get("/v1/orders/" + id);
		Http.Response absent = bob.get("/v1/orders/" + missing);

		assertThat(alice.get("/v1/orders/" + id).status()).isEqualTo(200);
		assertThat(others.status()).isEqualTo(404);
		assertThat(others.body().replace(id, missing)).isEqualTo(absent.body());
		assertThat(bob.get("/v1/orders/" + id + "/timeline").status()).isEqualTo(404);
		Http.Response cancel = bob.post("/v1/orders/" + id + "/cancel", "", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(cancel.status()).isEqualTo(404);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> alice.get("/v1/orders/" + id).json().get("status").asString(), "CONFIRMED"::equals);
	}

	@Test
	void anIdempotencyKeyIsTheCallersOwnAndReplaysNothingToAnotherOrToNobody() {
		String key = UUID.randomUUID().toString();
		String body = order("", "");
		Http.Response alices = alice.post("/v1/orders", body, Map.of("Idempotency-Key", key));

		Http.Response bobs = bob.post("/v1/orders", body, Map.of("Idempotency-Key", key));
		Http.Response nobodys = Http.anonymous(port).post("/v1/orders", body, Map.of("Idempotency-Key", key));

		assertThat(alices.status()).isEqualTo(202);
		assertThat(bobs.status()).isEqualTo(202);
		assertThat(bobs.header("Idempotent-Replayed")).isNull();
		assertThat(bobs.json().get("customerId").asString()).isEqualTo("bob");
		assertThat(bobs.json().get("id").asString()).isNotEqualTo(alices.json().get("id").asString());
		assertThat(nobodys.status()).isEqualTo(401);
		assertThat(nobodys.body()).doesNotContain(alices.json().get("id").asString());
		assertThat(alice.post("/v1/orders", body, Map.of("Idempotency-Key", key)).header("Idempotent-Replayed"))
			.isEqualTo("true");
	}

	@Test
	void aCustomerListsOnlyTheirOwnOrders() {
		String id = place(alice, order("", "")).json().get("id").asString();

		assertThat(alice.get("/v1/orders?limit=100").body()).contains(id);
		assertThat(bob.get("/v1/orders?limit=100").body()).doesNotContain(id);
		assertThat(bob.get("/v1/orders?customerId=alice").status()).isEqualTo(403);
		assertThat(Http.as(port, "support").get("/v1/orders?customerId=alice&limit=100").body()).contains(id);
		assertThat(Http.as(port, "shop").get("/v1/orders/" + id).status()).isEqualTo(200);
	}

	@Test
	void aMerchantBackendNamesTheCustomer() {
		Http shop = Http.as(port, "shop");

		Http.Response unnamed = place(shop, order("", ""));
		Http.Response named = place(shop, order("\"customerId\": \"carol\",", ""));

		assertThat(unnamed.status()).isEqualTo(400);
		assertThat(unnamed.json().get("errors").get(0).get("field").asString()).isEqualTo("customerId");
		assertThat(named.status()).isEqualTo(202);
		assertThat(named.json().get("customerId").asString()).isEqualTo("carol");
	}
}
