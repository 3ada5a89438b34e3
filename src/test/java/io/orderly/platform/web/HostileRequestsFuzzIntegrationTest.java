package io.orderly.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Hostile requests for every operation of the served OpenAPI document (seeded, so a failure
 * is replayed by its seed; docs/adr/0006-fuzzing.md): path and query
 * values of any Unicode text, broken percent-encoding, NUL, extremes; bodies built from each
 * operation's schema with wrong types, extreme numbers, hostile text and missing or unknown
 * fields, or not JSON at all. For each: no 5xx, every error an RFC 9457 problem, and a refused
 * request (4xx) changes nothing (rows and values of what the API writes, fault settings).
 *
 * <p>The short form runs in the suite ({@value #SHORT_FORM} requests); {@code bin/fuzz N} runs
 * N and writes docs/bench/fuzz-DATE.md.
 */
@IntegrationTest
class HostileRequestsFuzzIntegrationTest {

	static final int SHORT_FORM = 400;

	/** Operations that would end the fuzzer's own access or remove accounts: left out, said in the ADR. */
	private static final Set<String> LEFT_OUT = Set.of("POST /v1/me/logout", "POST /v1/admin/revocations",
			"DELETE /v1/admin/users/{username}", "PUT /v1/admin/users/{username}", "DELETE /v1/admin/clients/{clientId}",
			"POST /v1/webhooks/psp");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Random random;

	record Operation(String method, String path, List<JsonNode> parameters, JsonNode bodySchema) {

		String name() {
			return method + " " + path;
		}
	}

	record Outcome(String operation, int status, String request, String problem) {
	}

	@Test
	void hostileRequestsGetNo5xxAProblemForEveryErrorAndChangeNothingWhenRefused() throws Exception {
		int requests = Integer.getInteger("orderly.fuzz.requests", SHORT_FORM);
		long seed = Long.getLong("orderly.fuzz.seed", 20261205L);
		random = new Random(seed);
		JsonNode document = json.readTree(Http.anonymous(port).get("/v3/api-docs").body());
		List<Operation> operations = operations(document);
		String token = Tokens.of(port, "admin");
		stockAProduct();

		List<Outcome> outcomes = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			Operation operation = operations.get(random.nextInt(operations.size()));
			String before = state(token);
			HttpRequest request = request(operation, document, token);
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			String described = request.method() + " " + request.uri().getRawPath()
					+ (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery());
			String problem = check(response, before, token);
			if (response.statusCode() < 300 && !"GET".equals(request.method())) {
				awaitQuiet();
			}
			outcomes.add(new Outcome(operation.name(), response.statusCode(), described, problem));
			if (problem != null && failures.size() < 20) {
				failures.add(response.statusCode() + ", " + problem + " (seed " + seed + ", request " + i + "): "
						+ (described.length() > 300 ? described.substring(0, 300) + "..." : described));
			}
		}
		if (System.getProperty("orderly.fuzz.report") != null) {
			report(Path.of(System.getProperty("orderly.fuzz.report")), seed, outcomes);
		}
		assertThat(failures).as(String.join("\n", failures)).isEmpty();
	}

	/** What is wrong with an answer, or null. */
	private String check(HttpResponse<String> response, String before, String token) throws Exception {
		int status = response.statusCode();
		if (status >= 500) {
			return "a server error";
		}
		if (status >= 400) {
			String type = response.headers().firstValue("Content-Type").orElse("");
			if (!type.startsWith("application/problem+json")) {
				return "an error that is not a problem (" + type + ")";
			}
			JsonNode body;
			try {
				body = json.readTree(response.body());
			}
			catch (RuntimeException ex) {
				return "a problem body that is not JSON";
			}
			if (!body.has("type") || !body.has("title") || body.path("status").asInt() != status) {
				return "a problem without type, title or the status";
			}
			if (!state(token).equals(before)) {
				return "a refused request changed what is stored";
			}
		}
		return null;
	}

	/**
	 * Waits (with a deadline) until what an accepted request set off has finished: no saga still
	 * running or compensating, no event unpublished, none parked. A refused request after it is
	 * then compared with a state nothing else is changing.
	 */
	private void awaitQuiet() {
		Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.sql("""
				select (select count(*) from platform.sagas where state in ('RUNNING', 'COMPENSATING'))
				     + (select count(*) from platform.outbox where position is null)
				     + (select count(*) from platform.parked_messages)""").query(Long.class).single() == 0);
	}

	/** Rows and values the API's writes touch, and the fault settings (not what sagas change on their own). */
	private String state(String token) {
		String rows = jdbc.sql("""
				select concat_ws(',',
				  (select count(*) from orders.orders),
				  (select md5(coalesce(string_agg(sku || name || price_minor || currency, ';' order by sku), '')) from inventory.products),
				  (select count(*) from inventory.stock_adjustments),
				  (select count(*) from links.links), (select count(*) from links.links where deleted_at is not null),
				  (select count(*) from edge.api_keys), (select count(*) from edge.api_keys where revoked_at is not null),
				  (select md5(coalesce(string_agg(username || enabled, ';' order by username), '')) from edge.users),
				  (select count(*) from edge.authorities), (select count(*) from edge.revocations),
				  (select md5(coalesce(string_agg(id::text || status, ';' order by id), '')) from platform.dead_letters))""")
			.query(String.class)
			.single();
		String faults = new Http(port).send("/v1/admin/shipping/faults", Map.of("Authorization", "Bearer " + token)).body();
		return rows + "|" + faults;
	}

	private static List<Operation> operations(JsonNode document) {
		List<Operation> operations = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
			for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
				String method = entry.getKey().toUpperCase();
				if (!Set.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
					continue;
				}
				JsonNode operation = entry.getValue();
				List<JsonNode> parameters = new ArrayList<>();
				operation.path("parameters").forEach(parameters::add);
				JsonNode body = operation.path("requestBody").path("content").path("application/json").path("schema");
				Operation op = new Operation(method, path.getKey(), parameters, body.isMissingNode() ? null : body);
				if (!LEFT_OUT.contains(op.name())) {
					operations.add(op);
				}
			}
		}
		return operations;
	}

	private HttpRequest request(Operation operation, JsonNode document, String token) {
		String path = operation.path();
		StringBuilder query = new StringBuilder();
		for (JsonNode parameter : operation.parameters()) {
			String in = parameter.path("in").asString();
			String name = parameter.path("name").asString();
			if ("path".equals(in)) {
				path = path.replace("{" + name + "}", hostileSegment());
			}
			else if ("query".equals(in) && random.nextInt(10) < 7) {
				query.append(query.isEmpty() ? "" : "&").append(name).append('=').append(hostileSegment());
			}
		}
		if (random.nextInt(10) == 0) {
			query.append(query.isEmpty() ? "" : "&").append(hostileSegment()).append('=').append(hostileSegment());
		}
		String target = "http://localhost:" + port + path + (query.isEmpty() ? "" : "?" + query);
		URI uri;
		try {
			uri = URI.create(target);
		}
		catch (IllegalArgumentException ex) {
			// What java.net.URI refuses to send at all: send the same operation with plain values.
			uri = URI.create("http://localhost:" + port + operation.path().replaceAll("\\{[^}]+}", "x"));
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + token);
		String body = operation.bodySchema() == null && random.nextInt(4) > 0 ? null : body(operation, document);
		if (!"GET".equals(operation.method()) && !"DELETE".equals(operation.method())) {
			// Invalid keys the HTTP client will still send (it refuses control characters in headers).
			request.header("Idempotency-Key", random.nextInt(20) == 0
					? List.of("has space", "x".repeat(300), "tab\tkey", "caf\u00e9").get(random.nextInt(4))
					: "fuzz-" + random.nextLong());
		}
		if (body != null) {
			request.header("Content-Type", random.nextInt(20) == 0 ? "text/plain" : "application/json");
		}
		HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8));
		return request.method(operation.method(), publisher).build();
	}

	private String body(Operation operation, JsonNode document) {
		return switch (random.nextInt(10)) {
			case 0 -> hostileText();
			case 1 -> "{".repeat(random.nextInt(2_000) + 1);
			case 2 -> "{\"a\":1,\"a\":2}";
			case 3 -> "";
			case 4, 5, 6 -> {
				if (operation.bodySchema() == null) {
					yield "{}";
				}
				// Valid first, then (half the time) one value made hostile: reaches the accepting paths.
				JsonNode value = plausible(operation.bodySchema(), document, "", 0);
				if (random.nextBoolean()) {
					value = spoilOneValue(value);
				}
				yield json.writeValueAsString(value);
			}
			default -> {
				JsonNode value = operation.bodySchema() == null ? nodes.objectNode().put("unexpected", hostileText())
						: value(operation.bodySchema(), document, 0);
				yield json.writeValueAsString(value);
			}
		};
	}

	/** A value for a schema: mostly of the right shape, with hostile contents and wrong types mixed in. */
	private JsonNode value(JsonNode schema, JsonNode document, int depth) {
		if (schema.has("$ref")) {
			String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
			return value(document.path("components").path("schemas").path(name), document, depth);
		}
		if (random.nextInt(8) == 0 || depth > 4) {
			return wrongValue();
		}
		String type = schema.path("type").asString("object");
		return switch (type) {
			case "string" -> random.nextInt(4) == 0 && schema.has("enum")
					? schema.get("enum").get(random.nextInt(schema.get("enum").size()))
					: nodes.stringNode(random.nextInt(3) == 0 && schema.has("example") ? schema.get("example").asString()
							: hostileText());
			case "integer", "number" -> extremeNumber();
			case "boolean" -> nodes.booleanNode(random.nextBoolean());
			case "array" -> {
				ArrayNode array = nodes.arrayNode();
				int items = random.nextInt(4);
				for (int i = 0; i < items; i++) {
					array.add(value(schema.path("items"), document, depth + 1));
				}
				yield array;
			}
			default -> {
				ObjectNode object = nodes.objectNode();
				Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").properties().iterator();
				while (properties.hasNext()) {
					Map.Entry<String, JsonNode> property = properties.next();
					if (random.nextInt(10) < 8) {
						object.set(property.getKey(), value(property.getValue(), document, depth + 1));
					}
				}
				if (random.nextInt(6) == 0) {
					object.put(random.nextBoolean() ? "role" : "status", hostileText());
				}
				yield object;
			}
		};
	}

	/** Values the schema and the platform accept, where the schema says enough (its examples, enums, formats, bounds). */
	private JsonNode plausible(JsonNode schema, JsonNode document, String name, int depth) {
		if (schema.has("$ref")) {
			String ref = schema.get("$ref").asString().substring("#/components/schemas/".length());
			return plausible(document.path("components").path("schemas").path(ref), document, name, depth);
		}
		List<String> known = KNOWN.get(name);
		if (known != null) {
			return nodes.stringNode(known.get(random.nextInt(known.size())));
		}
		if (schema.has("example") && !schema.get("example").isContainer()) {
			return schema.get("example");
		}
		if (schema.has("enum")) {
			return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
		}
		String type = schema.path("type").asString(schema.has("properties") ? "object" : "string");
		return switch (type) {
			case "string" -> switch (schema.path("format").asString("")) {
				case "uri" -> nodes.stringNode("https://example.com/fuzz/" + random.nextInt(1_000_000));
				case "date-time" -> nodes.stringNode(Instant.now().plus(Duration.ofDays(1 + random.nextInt(30))).toString());
				case "uuid" -> nodes.stringNode(new UUID(random.nextLong(), random.nextLong()).toString());
				default -> nodes.stringNode("fuzz-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
					.substring(0, Math.min(8, Math.max(1, schema.path("maxLength").asInt(8) - 5))));
			};
			case "integer", "number" -> nodes.numberNode(Math.max(schema.path("minimum").asLong(1), 1)
					+ random.nextInt(3));
			case "boolean" -> nodes.booleanNode(random.nextBoolean());
			case "array" -> {
				ArrayNode array = nodes.arrayNode();
				int items = depth > 3 ? 0 : 1;
				for (int i = 0; i < items; i++) {
					array.add(plausible(schema.path("items"), document, name, depth + 1));
				}
				yield array;
			}
			default -> {
				ObjectNode object = nodes.objectNode();
				if (depth <= 4) {
					for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
						object.set(property.getKey(), plausible(property.getValue(), document, property.getKey(), depth + 1));
					}
				}
				yield object;
			}
		};
	}

	/** The same value with one of its leaves (chosen at random) replaced by a hostile one. */
	private JsonNode spoilOneValue(JsonNode value) {
		List<JsonNode> containers = new ArrayList<>();
		collectContainers(value, containers);
		if (containers.isEmpty()) {
			return wrongValue();
		}
		JsonNode container = containers.get(random.nextInt(containers.size()));
		if (container instanceof ObjectNode object && !object.isEmpty()) {
			List<String> names = new ArrayList<>(object.propertyNames());
			object.set(names.get(random.nextInt(names.size())), random.nextBoolean() ? wrongValue() : nodes.stringNode(hostileText()));
		}
		else if (container instanceof ArrayNode array && !array.isEmpty()) {
			array.set(random.nextInt(array.size()), wrongValue());
		}
		return value;
	}

	private static void collectContainers(JsonNode value, List<JsonNode> containers) {
		if (value.isContainer() && !value.isEmpty()) {
			containers.add(value);
			value.forEach(child -> collectContainers(child, containers));
		}
	}

	/** Values that exist in the platform for fields the schema cannot describe (a product on sale, a payment token). */
	private static final Map<String, List<String>> KNOWN = Map.of("sku", List.of("FUZZ-MUG"),
			"paymentToken", List.of("tok_ok", "tok_ok", "tok_declined"), "currency", List.of("EUR"));

	/** A product in stock, so that plausible orders can be placed. */
	private void stockAProduct() {
		Http admin = Http.as(port, "admin");
		Http.Response product = admin.put("/v1/products/FUZZ-MUG", "{\"name\":\"Mug\",\"priceMinor\":1299,\"currency\":\"EUR\"}",
				Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));
		Http.Response stock = admin.post("/v1/inventory/FUZZ-MUG/adjustments", "{\"delta\":100000,\"reason\":\"fuzz\"}",
				Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(product.status()).as(product.body()).isLessThan(300);
		assertThat(stock.status()).as(stock.body()).isLessThan(300);
	}

	private JsonNode wrongValue() {
		return switch (random.nextInt(5)) {
			case 0 -> nodes.nullNode();
			case 1 -> nodes.stringNode(hostileText());
			case 2 -> extremeNumber();
			case 3 -> nodes.arrayNode().add(1).add("x");
			default -> nodes.objectNode().put("nested", hostileText());
		};
	}

	private JsonNode extremeNumber() {
		return switch (random.nextInt(6)) {
			case 0 -> nodes.numberNode(Long.MAX_VALUE);
			case 1 -> nodes.numberNode(Long.MIN_VALUE);
			case 2 -> nodes.numberNode(new java.math.BigDecimal("1e400"));
			case 3 -> nodes.numberNode(12.5);
			case 4 -> nodes.numberNode(-1);
			default -> nodes.numberNode(random.nextInt(2_000_000) - 1_000_000);
		};
	}

	/** Texts that broke or could break a parser, a database or a comparison. */
	private static final List<String> EDGE_CASES = List.of("", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "\ud83d\ude00",
			"\u0085", "\ufeff", "null", "0", "-1", "../..", "%00", "%", "\\", "'; drop table x; --", "a".repeat(10_000),
			"\u202e", "\u0301", "NaN", "1e400", "<script>", "\r\n");

	private static final String CHOSEN = "\u0000\ud800\udfff\u0085%\\/.;\n";

	/** Any Unicode text (lone surrogates, NUL and controls included), seeded, with edge cases. */
	private String hostileText() {
		if (random.nextInt(8) == 0) {
			return EDGE_CASES.get(random.nextInt(EDGE_CASES.size()));
		}
		StringBuilder text = new StringBuilder();
		switch (random.nextInt(4)) {
			case 0 -> {
				int length = random.nextInt(301);
				for (int i = 0; i < length; i++) {
					text.append((char) random.nextInt(Character.MAX_VALUE + 1));
				}
			}
			case 1 -> {
				int length = random.nextInt(41);
				for (int i = 0; i < length; i++) {
					text.append(CHOSEN.charAt(random.nextInt(CHOSEN.length())));
				}
			}
			case 2 -> {
				int length = 1_000 + random.nextInt(19_001);
				for (int i = 0; i < length; i++) {
					text.append((char) (' ' + random.nextInt(95)));
				}
			}
			default -> {
				String safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~";
				int length = random.nextInt(81);
				for (int i = 0; i < length; i++) {
					text.append(safe.charAt(random.nextInt(safe.length())));
				}
			}
		}
		return text.toString();
	}

	/** A path or query value: hostile text percent-encoded byte by byte, or broken encodings as sent. */
	private String hostileSegment() {
		return switch (random.nextInt(6)) {
			case 0 -> List.of("%", "%zz", "%00", "%FF%FE", "%ED%A0%80", "..", "%2F", "%5C", "%25", "%C0%AF").get(random.nextInt(10));
			default -> {
				StringBuilder encoded = new StringBuilder();
				for (byte b : hostileText().getBytes(StandardCharsets.UTF_8)) {
					encoded.append('%').append(String.format("%02X", b & 0xff));
				}
				yield encoded.length() > 6_000 ? encoded.substring(0, 6_000 - encoded.length() % 3 % 3) : encoded.toString();
			}
		};
	}

	private static void report(Path file, long seed, List<Outcome> outcomes) throws IOException {
		Map<String, Map<Integer, Integer>> byOperation = new TreeMap<>();
		Map<Integer, Integer> byStatus = new TreeMap<>();
		for (Outcome outcome : outcomes) {
			byOperation.computeIfAbsent(outcome.operation(), k -> new TreeMap<>()).merge(outcome.status(), 1, Integer::sum);
			byStatus.merge(outcome.status(), 1, Integer::sum);
		}
		List<Outcome> failed = outcomes.stream().filter(o -> o.problem() != null).toList();
		StringBuilder out = new StringBuilder();
		out.append("# Fuzzing the API with hostile requests — ").append(Instant.now()).append("\n\n");
		out.append("Command: `bin/fuzz ").append(outcomes.size()).append("` (seed ").append(seed)
			.append("): the test HostileRequestsFuzzIntegrationTest against the platform on an embedded database.\n");
		out.append("Machine: ").append(System.getProperty("orderly.fuzz.machine", "this one")).append(".\n\n");
		out.append("**").append(outcomes.size()).append(" requests, ").append(failed.size())
			.append(" failed a check** (a 5xx, an error that is not a problem, or a refused request that changed what is stored).\n\n");
		out.append("| status | requests |\n|---|---|\n");
		byStatus.forEach((status, count) -> out.append("| ").append(status).append(" | ").append(count).append(" |\n"));
		out.append("\n| operation | answers (status: count) |\n|---|---|\n");
		byOperation.forEach((operation, statuses) -> out.append("| `").append(operation).append("` | ")
			.append(statuses.toString().replace("{", "").replace("}", "").replace("=", ": ")).append(" |\n"));
		if (!failed.isEmpty()) {
			out.append("\n## Failures (first 50)\n\n");
			failed.stream().limit(50).forEach(o -> out.append("- `").append(o.request().length() > 200 ? o.request().substring(0, 200) + "…" : o.request())
				.append("` -> ").append(o.status()).append(": ").append(o.problem()).append('\n'));
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, out.toString());
	}
}
