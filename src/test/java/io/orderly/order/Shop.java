package io.orderly.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The checkout as a client sees it, over HTTP: catalog, stock, orders, the PSP's own records. */
final class Shop {

	final Http http;

	Shop(int port) {
		this.http = new Http(port);
	}

	String product(long priceMinor, int units) {
		String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
		Http.Response created = http.put("/v1/products/" + sku,
				"{\"name\": \"Mug " + sku + "\", \"priceMinor\": " + priceMinor + ", \"currency\": \"EUR\"}", Map.of());
		assertThat(created.status()).as(created.body()).isEqualTo(200);
		if (units > 0) {
			Http.Response adjusted = http.post("/v1/inventory/" + sku + "/adjustments",
					"{\"delta\": " + units + ", \"reason\": \"restock\"}", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
			assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(200);
		}
		return sku;
	}

	JsonNode stock(String sku) {
		return http.get("/v1/inventory/" + sku).json();
	}

	static String order(String customer, String token, String... skuAndQuantity) {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < skuAndQuantity.length; i += 2) {
			items.add("{\"sku\": \"" + skuAndQuantity[i] + "\", \"quantity\": " + skuAndQuantity[i + 1] + "}");
		}
		return """
				{"customerId": "%s", "items": [%s],
				 "shippingAddress": {"name": "Ada Lovelace", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"},
				 "paymentToken": "%s"}""".formatted(customer, String.join(", ", items), token);
	}

	Http.Response place(String body) {
		return place(body, UUID.randomUUID().toString());
	}

	Http.Response place(String body, String key) {
		return http.post("/v1/orders", body, Map.of("Idempotency-Key", key));
	}

	JsonNode get(String orderId) {
		return http.get("/v1/orders/" + orderId).json();
	}

	String status(String orderId) {
		return get(orderId).get("status").asString();
	}

	/** What the PSP itself did for the order: its authorizations, with captured and refunded amounts. */
	JsonNode charges(String orderId) {
		return http.get("/psp/v1/charges?reference=" + orderId).json().get("items");
	}

	long captured(String orderId) {
		long captured = 0;
		for (JsonNode charge : charges(orderId)) {
			captured += charge.get("capturedMinor").asLong() - charge.get("refundedMinor").asLong();
		}
		return captured;
	}

	void pspFaults(String json) {
		assertThat(http.put("/psp/admin/faults", json, Map.of()).status()).isEqualTo(200);
	}

	void resetPspFaults() {
		http.delete("/psp/admin/faults");
	}
}
