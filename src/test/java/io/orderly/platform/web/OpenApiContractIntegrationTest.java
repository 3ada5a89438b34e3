package io.orderly.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.OpenApiContract;
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

	private OpenApiContract contract;

	private Http.Response call(String account, String method, String pathAndQuery, String body) {
		Http http = account == null ? Http.anonymous(port) : Http.as(port, account);
		return contract.call(http, account == null ? null : Tokens.of(port, account), method, pathAndQuery, body, Map.of());
	}

	@Test
	void realRequestsAndAnswersMatchTheServedDocument() {
		contract = new OpenApiContract(Http.anonymous(port).get("/v3/api-docs").body());
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

		assertThat(contract.violations()).as(String.join("\n", contract.violations())).isEmpty();
	}
}
