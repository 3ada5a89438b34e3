package io.orderly.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

/** The platform's own clock: an instant answered at once is the instant read back later. */
@IntegrationTest
class OrderTimesIntegrationTest {

	@LocalServerPort
	int port;

	@Test
	void anOrdersCreationTimeIsTheSameInThePostResponseAndInLaterReads() {
		Http admin = Http.as(port, "admin");
		assertThat(admin.put("/v1/products/TIME-MUG", "{\"name\":\"Mug\",\"priceMinor\":100,\"currency\":\"EUR\"}",
				Map.of("Content-Type", "application/json")).status()).isEqualTo(200);
		for (int i = 0; i < 5; i++) {
			Http.Response placed = admin.post("/v1/orders", Shop.order("c-times", "tok_ok", "TIME-MUG", "1"),
					Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));
			assertThat(placed.status()).as(placed.body()).isEqualTo(202);
			String id = placed.json().get("id").asString();
			String read = admin.get("/v1/orders/" + id).json().get("createdAt").asString();
			assertThat(read).isEqualTo(placed.json().get("createdAt").asString());
		}
	}
}
