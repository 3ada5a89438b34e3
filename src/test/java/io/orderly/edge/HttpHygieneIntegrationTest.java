package io.orderly.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.TestEndpointsSecurity;
import io.orderly.Tokens;
import io.orderly.platform.web.Retiring;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What every API answer carries besides its body: CORS for the configured origins (401s
 * included), the security headers, the caching rule (the caller's own answers are never
 * stored, catalog reads are revalidated with their ETag), gzip for large JSON, and the
 * retirement headers of a deprecated endpoint.
 */
@IntegrationTest
@TestPropertySource(properties = "orderly.http.cors.allowed-origins=https://shop.example")
@Import({ HttpHygieneIntegrationTest.RetiringEndpoints.class, HttpHygieneIntegrationTest.RetiredController.class,
		TestEndpointsSecurity.class })
class HttpHygieneIntegrationTest {

	static final String SHOP = "https://shop.example";

	@LocalServerPort
	int port;

	final HttpClient client = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	@Test
	void answersAPreflightFromAnAllowedOriginWithoutAToken() {
		HttpResponse<byte[]> preflight = send(preflight("/v1/orders", SHOP));

		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
		assertThat(header(preflight, "Access-Control-Allow-Methods")).contains("POST");
		assertThat(header(preflight, "Access-Control-Allow-Headers").toLowerCase())
			.contains("authorization", "content-type", "idempotency-key");
		assertThat(header(preflight, "Access-Control-Allow-Credentials")).isNull();
	}

	@Test
	void letsABrowserAppOnAnAllowedOriginUseTheTokenEndpoint() {
		HttpResponse<byte[]> preflight = send(preflight("/oauth2/token", SHOP));

		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
		assertThat(header(send(preflight("/oauth2/token", "https://evil.example")), "Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void refusesAPreflightFromAnotherOrigin() {
		HttpResponse<byte[]> preflight = send(preflight("/v1/orders", "https://evil.example"));

		assertThat(preflight.statusCode()).isEqualTo(403);
		assertThat(header(preflight, "Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void letsAnAllowedOriginReadAnswersAndTheirHeadersAnd401sToo() {
		HttpResponse<byte[]> orders = send(request("/v1/orders?limit=1").header("Origin", SHOP)
			.header("Authorization", "Bearer " + Tokens.of(port, "alice")));
		HttpResponse<byte[]> noToken = send(request("/v1/orders?limit=1").header("Origin", SHOP));

		assertThat(orders.statusCode()).isEqualTo(200);
		assertThat(header(orders, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
		assertThat(header(orders, "Access-Control-Expose-Headers")).contains("ETag", "Location", "RateLimit",
				"Retry-After", "Deprecation", "Sunset", "Link");
		assertThat(noToken.statusCode()).isEqualTo(401);
		assertThat(header(noToken, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
		assertThat(header(noToken, "WWW-Authenticate")).startsWith("Bearer");
	}

	@Test
	void sendsTheSecurityHeadersWithEveryJsonAnswerButKeepsSwaggerUiWorking() {
		Http.Response orders = Http.as(port, "alice").get("/v1/orders?limit=1");
		Http.Response noToken = Http.anonymous(port).get("/v1/orders?limit=1");
		Http.Response swaggerUi = Http.anonymous(port).get("/swagger-ui/index.html");
		Http.Response login = Http.anonymous(port).get("/login");

		for (Http.Response json : new Http.Response[] { orders, noToken }) {
			assertThat(json.header("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(json.header("X-Frame-Options")).isEqualTo("DENY");
			assertThat(json.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
			assertThat(json.header("Referrer-Policy")).isEqualTo("no-referrer");
			// Plain HTTP: HSTS is sent on secure requests only.
			assertThat(json.header("Strict-Transport-Security")).isNull();
		}
		assertThat(swaggerUi.status()).isEqualTo(200);
		assertThat(swaggerUi.body()).contains("swagger-initializer.js");
		assertThat(swaggerUi.header("Content-Security-Policy")).isNull();
		assertThat(swaggerUi.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.header("Content-Security-Policy")).isNull();
	}

	@Test
	void neverLetsACallersOwnAnswerBeStored() {
		String sku = product(700);

		Http.Response orders = Http.as(port, "alice").get("/v1/orders?limit=1");
		Http.Response noToken = Http.anonymous(port).get("/v1/orders?limit=1");
		Http.Response missingProduct = Http.as(port, "alice").get("/v1/products/" + sku + "-missing");
		Http.Response stock = Http.as(port, "alice").get("/v1/inventory/" + sku);

		for (Http.Response answer : new Http.Response[] { orders, noToken, missingProduct, stock }) {
			assertThat(answer.header("Cache-Control")).isEqualTo("private, no-store");
			assertThat(answer.header("ETag")).isNull();
		}
		assertThat(orders.status()).isEqualTo(200);
		assertThat(missingProduct.status()).isEqualTo(404);
		assertThat(stock.status()).isEqualTo(200);
	}

	@Test
	void revalidatesACatalogReadWithItsETagUntilTheProductChanges() {
		String sku = product(1299);
		Http alice = Http.as(port, "alice");

		Http.Response first = alice.get("/v1/products/" + sku);
		String etag = first.header("ETag");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("Cache-Control")).isEqualTo("max-age=60, private");
		assertThat(etag).as("a strong ETag").matches("\"[0-9a-f]+\"");

		Http.Response unchanged = alice.send("/v1/products/" + sku, Map.of("If-None-Match", etag));
		assertThat(Http.as(port, "operator").put("/v1/products/" + sku,
				"{\"name\": \"Mug\", \"priceMinor\": 1499, \"currency\": \"EUR\"}", Map.of()).status()).isEqualTo(200);
		Http.Response changed = alice.send("/v1/products/" + sku, Map.of("If-None-Match", etag));

		assertThat(unchanged.status()).isEqualTo(304);
		assertThat(unchanged.body()).isEmpty();
		assertThat(unchanged.header("ETag")).isEqualTo(etag);
		assertThat(unchanged.header("Cache-Control")).isEqualTo("max-age=60, private");
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.json().get("priceMinor").asLong()).isEqualTo(1499);
		assertThat(changed.header("ETag")).matches("\"[0-9a-f]+\"").isNotEqualTo(etag);
	}

	@Test
	void gzipsALargeJsonListForAClientThatAsks() throws IOException {
		String sku = product(500);
		String customer = "gz-" + UUID.randomUUID();
		Http admin = new Http(port);
		assertThat(admin.post("/v1/inventory/" + sku + "/adjustments", "{\"delta\": 100, \"reason\": \"restock\"}",
				Map.of("Idempotency-Key", UUID.randomUUID().toString())).status()).isEqualTo(200);
		for (int i = 0; i < 10; i++) {
			String order = """
					{"customerId": "%s", "items": [{"sku": "%s", "quantity": 1}],
					 "shippingAddress": {"name": "Gus", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"},
					 "paymentToken": "tok_ok"}""".formatted(customer, sku);
			assertThat(admin.post("/v1/orders", order, Map.of("Idempotency-Key", UUID.randomUUID().toString())).status())
				.isEqualTo(202);
		}
		String path = "/v1/orders?customerId=" + customer + "&limit=10";
		String token = "Bearer " + Tokens.of(port, "admin");

		HttpResponse<byte[]> gzipped = send(request(path).header("Authorization", token).header("Accept-Encoding", "gzip"));
		HttpResponse<byte[]> plain = send(request(path).header("Authorization", token));

		assertThat(gzipped.statusCode()).isEqualTo(200);
		assertThat(header(gzipped, "Content-Encoding")).isEqualTo("gzip");
		byte[] unzipped = new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes();
		assertThat(unzipped.length).isGreaterThan(2048).isGreaterThan(gzipped.body().length);
		assertThat(JsonMapper.builder().build().readTree(unzipped).get("items").size()).isEqualTo(10);
		assertThat(header(plain, "Content-Encoding")).isNull();
		assertThat(new String(plain.body(), StandardCharsets.UTF_8)).contains(customer);
	}

	@Test
	void announcesARetiringEndpointsDeprecationSunsetAndSuccessor() {
		Http http = Http.anonymous(port);

		Http.Response retiring = http.get("/test/retiring/widgets");
		Http.Response current = http.get("/test/retiring/gadgets");
		Http.Response wholeController = http.get("/test/retired/anything");

		assertThat(retiring.status()).isEqualTo(200);
		assertThat(retiring.header("Deprecation")).isEqualTo("@1796083200");
		assertThat(retiring.header("Sunset")).isEqualTo("Wed, 30 Jun 2027 00:00:00 GMT");
		assertThat(retiring.headers().entrySet()
			.stream()
			.filter(e -> e.getKey().equalsIgnoreCase("Link"))
			.flatMap(e -> e.getValue().stream())).containsExactly("</v2/widgets>; rel=\"successor-version\"",
					"<https://docs.orderly.example/deprecations/widgets>; rel=\"deprecation\"");
		assertThat(current.status()).isEqualTo(200);
		assertThat(current.header("Deprecation")).isNull();
		assertThat(current.header("Sunset")).isNull();
		assertThat(current.header("Link")).isNull();
		assertThat(wholeController.header("Deprecation")).isEqualTo("@1796126400");
		assertThat(wholeController.header("Sunset")).isNull();
		assertThat(wholeController.header("Link")).isNull();
	}

	private String product(long priceMinor) {
		String sku = "HYG-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(Http.as(port, "operator").put("/v1/products/" + sku,
				"{\"name\": \"Mug\", \"priceMinor\": " + priceMinor + ", \"currency\": \"EUR\"}", Map.of()).status())
			.isEqualTo(200);
		return sku;
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30));
	}

	private HttpRequest.Builder preflight(String path, String origin) {
		return request(path).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key");
	}

	private HttpResponse<byte[]> send(HttpRequest.Builder request) {
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String header(HttpResponse<?> response, String name) {
		return response.headers().firstValue(name).orElse(null);
	}

	/** A test endpoint on its way out, and one that is not. */
	@RestController
	static class RetiringEndpoints {

		@GetMapping("/test/retiring/widgets")
		@Retiring(deprecatedSince = "2026-12-01", sunset = "2027-06-30", successor = "/v2/widgets",
				documentation = "https://docs.orderly.example/deprecations/widgets")
		Map<String, String> widgets() {
			return Map.of("widget", "old");
		}

		@GetMapping("/test/retiring/gadgets")
		Map<String, String> gadgets() {
			return Map.of("gadget", "current");
		}
	}

	/** A whole controller on its way out, no sunset decided yet. */
	@RestController
	@Retiring(deprecatedSince = "2026-12-01T12:00:00Z")
	static class RetiredController {

		@GetMapping("/test/retired/anything")
		Map<String, String> anything() {
			return Map.of("any", "thing");
		}
	}
}
