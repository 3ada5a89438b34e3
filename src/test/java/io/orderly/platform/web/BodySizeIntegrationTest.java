package io.orderly.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A body over the configured size is a 413 problem on every endpoint, with or without a length, and changes nothing. */
@IntegrationTest
class BodySizeIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	/** A product whose name alone is over 1 MB. */
	private static String hugeProduct() {
		return "{\"name\":\"" + "x".repeat(1_100_000) + "\",\"priceMinor\":100,\"currency\":\"EUR\"}";
	}

	private long products(String sku) {
		return jdbc.sql("select count(*) from inventory.products where sku = :sku").param("sku", sku).query(Long.class).single();
	}

	@Test
	void aBodyOverTheLimitIsRefusedBeforeAnythingReadsIt() {
		Http.Response response = new Http(port).put("/v1/products/HUGE-1", hugeProduct(), Map.of("Content-Type", "application/json"));

		assertThat(response.status()).isEqualTo(413);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString()).isEqualTo("/problems/body-too-large");
		assertThat(products("HUGE-1")).isZero();
		assertThat(Http.anonymous(port).post("/v1/orders", hugeProduct(), Map.of("Content-Type", "application/json")).status())
			.as("without credentials too").isEqualTo(413);
	}

	@Test
	void aBodyWithoutALengthIsCutAtTheLimit() throws Exception {
		HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/products/HUGE-2"))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + Tokens.of(port, "admin"))
			.PUT(HttpRequest.BodyPublishers
				.ofInputStream(() -> new ByteArrayInputStream(hugeProduct().getBytes(StandardCharsets.UTF_8))))
			.build();

		HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("/problems/body-too-large");
		assertThat(products("HUGE-2")).isZero();
	}

	@Test
	void aBodyUnderTheLimitIsServed() {
		Http.Response response = new Http(port).put("/v1/products/SMALL-1",
				"{\"name\":\"" + "x".repeat(200) + "\",\"priceMinor\":100,\"currency\":\"EUR\"}",
				Map.of("Content-Type", "application/json"));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
	}
}
