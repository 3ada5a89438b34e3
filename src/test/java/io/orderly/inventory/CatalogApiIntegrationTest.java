package io.orderly.inventory;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.orderly.inventory.InventoryApiIntegrationTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

/** Products over HTTP, and the catalog's query API the order module prices orders with. */
@InventoryIntegrationTest
class CatalogApiIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	Catalog catalog;

	private Http http;

	private final String sku = "C" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeEach
	void client() {
		http = new Http(port);
	}

	@Test
	void createsReadsAndReplacesAProduct() {
		Http.Response created = put(sku, "{\"name\": \"Mug\", \"priceMinor\": 1299, \"currency\": \"EUR\"}");
		assertThat(created.status()).isEqualTo(200);
		assertThat(created.json().toString())
			.isEqualTo("{\"sku\":\"%s\",\"name\":\"Mug\",\"priceMinor\":1299,\"currency\":\"EUR\"}".formatted(sku));
		assertThat(http.get("/v1/products/" + sku).body()).isEqualTo(created.body());

		Http.Response replaced = put(sku, "{\"name\": \"Big mug\", \"priceMinor\": 1599, \"currency\": \"USD\"}");
		assertThat(replaced.status()).isEqualTo(200);
		assertThat(catalog.find(sku)).contains(new Product(sku, "Big mug", 1599, "USD"));
		assertThat(http.get("/v1/products/" + sku).json().get("name").asString()).isEqualTo("Big mug");
	}

	@Test
	void replacingAProductKeepsItsStock() {
		put(sku, "{\"name\": \"Mug\", \"priceMinor\": 1299, \"currency\": \"EUR\"}");
		http.post("/v1/inventory/" + sku + "/adjustments", "{\"delta\": 7, \"reason\": \"restock\"}",
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		put(sku, "{\"name\": \"Mug\", \"priceMinor\": 1399, \"currency\": \"EUR\"}");
		assertThat(http.get("/v1/inventory/" + sku).json().get("onHand").asLong()).isEqualTo(7);
	}

	@Test
	void listsTheWholeCatalogInSkuOrderAPageAtATime() {
		List<String> mine = List.of(sku + "-a", sku + "-b", sku + "-c");
		mine.forEach(s -> put(s, "{\"name\": \"Mug\", \"priceMinor\": 100, \"currency\": \"EUR\"}"));

		List<String> seen = new java.util.ArrayList<>();
		String after = null;
		int pages = 0;
		do {
			Http.Response page = http.get("/v1/products?limit=2" + (after == null ? "" : "&after=" + after));
			assertThat(page.status()).isEqualTo(200);
			assertThat(page.json().get("items").size()).isBetween(1, 2);
			page.json().get("items").forEach(item -> seen.add(item.get("sku").asString()));
			after = page.json().get("next").isNull() ? null : page.json().get("next").asString();
			pages++;
		}
		while (after != null && pages < 10_000);

		assertThat(seen).containsAll(mine).doesNotHaveDuplicates().isSorted();
		assertThat(http.get("/v1/products").json().get("items").size()).isLessThanOrEqualTo(20);
		assertThat(http.get("/v1/products?limit=0").status()).isEqualTo(400);
		assertThat(http.get("/v1/products?limit=101").status()).isEqualTo(400);
		assertThat(http.get("/v1/products?after=not%20a%20sku").status()).isEqualTo(400);
	}

	@Test
	void answersAnUnknownProductWithNotFound() {
		Http.Response unknown = http.get("/v1/products/" + sku);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(unknown.json().get("type").asString()).isEqualTo("/problems/not-found");
		assertThat(unknown.json().get("status").asInt()).isEqualTo(404);
	}

	@Test
	void refusesBadProductsWithAProblemNamingEachFieldAndStoresNothing() {
		assertThat(fields(put(sku, "{\"name\": \"Mug\", \"priceMinor\": -1, \"currency\": \"EUR\"}")))
			.containsExactly("priceMinor");
		assertThat(fields(put(sku, "{\"name\": \"Mug\", \"priceMinor\": 1299, \"currency\": \"EURO\"}")))
			.containsExactly("currency");
		assertThat(fields(put(sku, "{\"name\": \"Mug\", \"priceMinor\": 1299, \"currency\": \"eur\"}")))
			.containsExactly("currency");
		assertThat(fields(put(sku, "{\"name\": \"Mug\", \"priceMinor\": 1299, \"currency\": \"XYZ\"}")))
			.as("not an ISO 4217 code")
			.containsExactly("currency");
		assertThat(fields(put(sku, "{}"))).containsExactlyInAnyOrder("name", "priceMinor", "currency");
		assertThat(fields(put(sku, "{\"name\": \"\", \"priceMinor\": -5, \"currency\": \"EUR\"}")))
			.containsExactlyInAnyOrder("name", "priceMinor");
		assertThat(fields(put(sku, "{\"name\": \"Mug\", \"priceMinor\": \"cheap\", \"currency\": \"EUR\"}")))
			.containsExactly("priceMinor");
		assertThat(fields(put(sku, "{\"name\": \"Mug\", \"priceMinor\": 12.99, \"currency\": \"EUR\"}")))
			.as("money is whole minor units, never truncated")
			.containsExactly("priceMinor");
		assertThat(fields(put(sku, "{\"name\": \"" + "x".repeat(201) + "\", \"priceMinor\": 1, \"currency\": \"EUR\"}")))
			.containsExactly("name");
		assertThat(fields(put("bad%20sku!", "{\"name\": \"Mug\", \"priceMinor\": 1299, \"currency\": \"EUR\"}")))
			.containsExactly("sku");

		Http.Response malformed = put(sku, "{\"name\": \"Mug\", \"priceMinor\": 12");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");
		Http.Response notAnObject = put(sku, "[1, 2]");
		assertThat(notAnObject.status()).isEqualTo(400);

		assertThat(http.get("/v1/products/" + sku).status()).isEqualTo(404);
		assertThat(http.get("/v1/inventory/" + sku).status()).isEqualTo(404);
		assertThat(catalog.find(sku)).isEmpty();
	}

	@Test
	void findsTheProductsThatExist() {
		put(sku, "{\"name\": \"Mug\", \"priceMinor\": 1299, \"currency\": \"EUR\"}");
		assertThat(catalog.findAll(List.of(sku, sku + "-missing")))
			.containsExactly(Map.entry(sku, new Product(sku, "Mug", 1299, "EUR")));
		assertThat(catalog.findAll(List.of())).isEmpty();
	}

	@Test
	void documentsTheCatalogAndStockEndpointsInOpenApi() {
		Http.Response docs = http.get("/v3/api-docs");
		assertThat(docs.status()).isEqualTo(200);
		assertThat(docs.json().get("paths").propertyNames()).contains("/v1/products/{sku}", "/v1/inventory/{sku}",
				"/v1/inventory/{sku}/adjustments");
		assertThat(docs.json().at("/paths/~1v1~1inventory~1{sku}~1adjustments/post/summary").asString())
			.isEqualTo("Adjust a product's stock on hand");
	}

	private Http.Response put(String sku, String body) {
		return http.put("/v1/products/" + sku, body, Map.of());
	}
}
