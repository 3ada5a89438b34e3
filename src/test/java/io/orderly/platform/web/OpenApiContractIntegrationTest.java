package io.orderly.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The served OpenAPI document tells the truth: real requests of each kind, and what the API
 * answered (status, headers, body, success and problem alike), checked against the document
 * the API serves. A status, field or content type the document does not declare fails here.
 */
@IntegrationTest
class OpenApiContractIntegrationTest {

	@LocalServerPort
	int port;

	private final List<String> violations = new ArrayList<>();

	private OpenApiInteractionValidator validator;

	private Http.Response call(String account, String method, String pathAndQuery, String body) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (body != null) {
			headers.put("Content-Type", "application/json");
		}
		if (!"GET".equals(method) && !"DELETE".equals(method)) {
			headers.put("Idempotency-Key", UUID.randomUUID().toString());
		}
		Http http = account == null ? Http.anonymous(port) : Http.as(port, account);
		Http.Response response = switch (method) {
			case "GET" -> http.send(pathAndQuery, headers);
			case "POST" -> http.post(pathAndQuery, body == null ? "" : body, headers);
			case "PUT" -> http.put(pathAndQuery, body, headers);
			case "DELETE" -> http.delete(pathAndQuery);
			default -> throw new IllegalArgumentException(method);
		};
		String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
		SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), path);
		headers.forEach(request::withHeader);
		if (account != null) {
			request.withAuthorization("Bearer " + Tokens.of(port, account));
		}
		if (body != null) {
			request.withBody(body);
		}
		if (pathAndQuery.contains("?")) {
			for (String pair : pathAndQuery.substring(pathAndQuery.indexOf('?') + 1).split("&")) {
				String[] kv = pair.split("=", 2);
				request.withQueryParam(kv[0], kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
			}
		}
		SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.status());
		response.headers().forEach((name, values) -> answer.withHeader(name, values));
		if (response.body() != null && !response.body().isEmpty()) {
			answer.withBody(response.body());
		}
		ValidationReport report = validator.validate(request.build(), answer.build());
		for (ValidationReport.Message message : report.getMessages()) {
			// A request the document does not allow, refused by the API: the two agree.
			boolean refusedAsDocumented = message.getKey().startsWith("validation.request.") && response.status() >= 400
					&& response.status() < 500;
			if (message.getLevel() == ValidationReport.Level.ERROR && !refusedAsDocumented) {
				violations.add(method + " " + pathAndQuery + " -> " + response.status() + ": " + message.getKey() + ": "
						+ message.getMessage());
			}
		}
		return response;
	}

	@Test
	void realRequestsAndAnswersMatchTheServedDocument() {
		String document = Http.anonymous(port).get("/v3/api-docs").body();
		validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
		String sku = "OA-" + UUID.randomUUID().toString().substring(0, 8);

		// Catalog and stock.
		call("operator", "PUT", "/v1/products/" + sku, "{\"name\":\"Mug\",\"priceMinor\":1299,\"currency\":\"EUR\"}");
		call("alice", "GET", "/v1/products/" + sku, null);
		call("alice", "GET", "/v1/products?limit=2", null);
		call("alice", "GET", "/v1/products/no-such-sku", null);
		call("operator", "POST", "/v1/inventory/" + sku + "/adjustments", "{\"delta\":5,\"reason\":\"restock\"}");
		call("alice", "GET", "/v1/inventory/" + sku, null);
		call("operator", "PUT", "/v1/products/" + sku, "{\"name\":\"\",\"priceMinor\":-1,\"currency\":\"EUR\"}");

		// Orders: a customer places, reads, lists, cancels; bad input; somebody else's order.
		String order = "{\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}],\"shippingAddress\":{\"name\":\"Ada\","
				+ "\"line1\":\"1 Main St\",\"city\":\"Berlin\",\"postalCode\":\"10115\",\"country\":\"DE\"},\"paymentToken\":\"tok_ok\"}";
		Http.Response placed = call("alice", "POST", "/v1/orders", order);
		assertThat(placed.status()).as(placed.body()).isEqualTo(202);
		String id = placed.json().get("id").asString();
		call("alice", "GET", "/v1/orders/" + id, null);
		call("alice", "GET", "/v1/orders?limit=5", null);
		call("alice", "GET", "/v1/orders/" + id + "/timeline", null);
		call("bob", "GET", "/v1/orders/" + id, null);
		call("alice", "POST", "/v1/orders", "{\"items\":[]}");
		call("alice", "POST", "/v1/orders/" + id + "/cancel", null);
		call(null, "GET", "/v1/orders", null);

		// Short links.
		Http.Response link = call("alice", "POST", "/v1/links", "{\"url\":\"https://example.com/contract\"}");
		assertThat(link.status()).as(link.body()).isEqualTo(201);
		String code = link.json().get("code").asString();
		call("alice", "GET", "/v1/links/" + code, null);
		call("alice", "GET", "/v1/links/" + code + "/stats", null);
		call(null, "GET", "/s/" + code, null);
		call("alice", "POST", "/v1/links", "{\"url\":\"ftp://example.com/\"}");
		call("alice", "DELETE", "/v1/links/" + code, null);
		call(null, "GET", "/s/" + code, null);

		// Operators.
		call("operator", "GET", "/v1/admin/sagas?state=NEEDS_ATTENTION", null);
		call("operator", "GET", "/v1/admin/dead-letters", null);
		call("alice", "GET", "/v1/admin/sagas", null);

		assertThat(violations).as(String.join("\n", violations)).isEmpty();
	}
}
