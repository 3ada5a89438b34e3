package io.orderly.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

/** The served OpenAPI document says how to authenticate and what the edge answers on every /v1 operation. */
@IntegrationTest
class OpenApiSecurityIntegrationTest {

	@LocalServerPort
	int port;

	@Test
	void everyV1OperationDocumentsTheBearerSchemeAndTheEdgesProblems() {
		JsonNode api = Http.anonymous(port).get("/v3/api-docs").json();
		assertThat(api.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");

		List<String> missing = new ArrayList<>();
		int operations = 0;
		for (var path : api.get("paths").properties()) {
			if (!path.getKey().startsWith("/v1/") || path.getKey().startsWith("/v1/webhooks/")) {
				continue;
			}
			for (var operation : path.getValue().properties()) {
				operations++;
				JsonNode responses = operation.getValue().get("responses");
				for (String status : List.of("401", "403", "429")) {
					if (!responses.has(status) || !responses.get(status).at("/content").has("application/problem+json")) {
						missing.add(operation.getKey() + " " + path.getKey() + " " + status);
					}
				}
				if (!operation.getValue().has("security")) {
					missing.add(operation.getKey() + " " + path.getKey() + " security");
				}
			}
		}
		assertThat(operations).isGreaterThan(30);
		assertThat(missing).isEmpty();
	}
}
