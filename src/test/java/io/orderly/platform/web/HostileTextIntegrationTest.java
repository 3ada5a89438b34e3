package io.orderly.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Text and numbers that cannot be stored as sent are refused with a 400 problem naming the field,
 * and nothing reaches the database: NUL, lone surrogates, broken percent-encoding and non-UTF-8
 * in query strings, duplicate keys, numbers sent as text and text sent as numbers, country codes
 * that are not assigned.
 */
@IntegrationTest
class HostileTextIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	private static String order(String customerJson, String quantityJson) {
		return """
				{"customerId": %s, "items": [{"sku": "HT-MUG", "quantity": %s}],
				 "shippingAddress": {"name": "Ada", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"},
				 "paymentToken": "tok_ok"}""".formatted(customerJson, quantityJson);
	}

	private Http.Response place(String body) {
		return new Http(port).post("/v1/orders", body,
				Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));
	}

	private long orders() {
		return jdbc.sql("select count(*) from orders.orders").query(Long.class).single();
	}

	/** A GET whose request line is sent as is (java.net.URI refuses some of these). */
	private String rawGet(String pathAndQuery) throws Exception {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer "
					+ Tokens.of(port, "admin") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void refusesTextThatCannotBeStoredInABodyAndNamesTheField() {
		long before = orders();

		Http.Response nul = place(order("\"c\\u0000x\"", "1"));
		Http.Response surrogate = place(order("\"\\ud800\"", "1"));

		assertThat(nul.status()).isEqualTo(400);
		assertThat(nul.body()).contains("customerId").contains("cannot be stored");
		assertThat(surrogate.status()).isEqualTo(400);
		assertThat(surrogate.body()).contains("customerId");
		assertThat(orders()).isEqualTo(before);
	}

	@Test
	void acceptsTextBeyondTheBasicPlaneWhenItIsWhole() {
		assertThat(new Http(port).put("/v1/products/HT-MUG", "{\"name\":\"Mug \\ud83d\\ude00\",\"priceMinor\":100,\"currency\":\"EUR\"}",
				Map.of("Content-Type", "application/json")).status()).isEqualTo(200);
		Http.Response emoji = place(order("\"c-\\ud83d\\ude00\"", "1"));

		assertThat(emoji.status()).as(emoji.body()).isEqualTo(202);
	}

	@Test
	void refusesNumbersAsTextTextAsNumbersAndKeysGivenTwice() {
		long before = orders();

		Http.Response quantityAsText = place(order("\"c-text\"", "\"1\""));
		Http.Response customerAsNumber = place(order("12", "1"));
		Http.Response twice = place(order("\"c-a\", \"customerId\": \"c-b\"", "1"));

		assertThat(quantityAsText.status()).isEqualTo(400);
		assertThat(quantityAsText.body()).contains("quantity");
		assertThat(customerAsNumber.status()).isEqualTo(400);
		assertThat(customerAsNumber.body()).contains("customerId");
		assertThat(twice.status()).isEqualTo(400);
		assertThat(twice.body()).contains("twice");
		assertThat(orders()).isEqualTo(before);
	}

	@Test
	void refusesQueryParametersThatAreNotTextAndNamesThem() throws Exception {
		for (String query : new String[] { "/v1/orders?customerId=a%00b", "/v1/orders?customerId=%FF%FE",
				"/v1/orders?customerId=c1&before=%%%", "/v1/admin/sagas?after=%%",
				"/v1/admin/dead-letters?subscription=a%00b", "/v1/orders?customerId=%ED%A0%80" }) {
			String answer = rawGet(query);
			assertThat(answer).as(query).startsWith("HTTP/1.1 400");
			assertThat(answer).as(query).contains("application/problem+json").contains("not valid text");
		}
		assertThat(rawGet("/v1/orders?customerId=a%00b")).contains("\"field\":\"customerId\"");
		// Found by bin/fuzz: a parameter without a name made Tomcat throw when parameters were first read (500).
		String nameless = rawGet("/v1/orders/x?=%EA%B9%A5");
		assertThat(nameless).startsWith("HTTP/1.1 400").contains("application/problem+json");
		assertThat(rawGet("/v1/orders?customerId=c%C3%A9+x")).as("UTF-8 and a space").startsWith("HTTP/1.1 200");
	}

	@Test
	void refusesACountryCodeThatIsNotAssigned() {
		assertThat(new Http(port).put("/v1/products/HT-MUG", "{\"name\":\"Mug\",\"priceMinor\":100,\"currency\":\"EUR\"}",
				Map.of("Content-Type", "application/json")).status()).isEqualTo(200);
		long before = orders();
		for (String country : new String[] { "XX", "ZZ", "de", "DEU" }) {
			Http.Response answer = place(order("\"c-country\"", "1").replace("\"country\": \"DE\"",
					"\"country\": \"" + country + "\""));
			assertThat(answer.status()).as(country).isEqualTo(400);
			assertThat(answer.body()).as(country).contains("shippingAddress.country");
		}
		assertThat(orders()).isEqualTo(before);
		assertThat(place(order("\"c-country\"", "1").replace("\"country\": \"DE\"", "\"country\": \"AT\"")).status())
			.as("an assigned code").isEqualTo(202);
	}

	@Test
	void refusesAnExpiryBeyondWhatTheDatabaseStores() {
		Http.Response far = new Http(port).post("/v1/links",
				"{\"url\":\"https://example.com/far\",\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}",
				Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));

		assertThat(far.status()).isIn(400, 422);
		assertThat(far.body()).contains("expiresAt");
		assertThat(jdbc.sql("select count(*) from links.links where url = 'https://example.com/far'").query(Long.class).single())
			.isZero();
	}
}
