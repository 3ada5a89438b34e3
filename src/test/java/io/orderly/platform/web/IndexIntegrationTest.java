package io.orderly.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

/** A newcomer opening the root URL is pointed at the documents, without a token. */
@IntegrationTest
class IndexIntegrationTest {

	@LocalServerPort
	int port;

	@Test
	void theRootPointsToTheDocumentsAndTheyAreThere() {
		Http anonymous = Http.anonymous(port);

		Http.Response index = anonymous.get("/");

		assertThat(index.status()).isEqualTo(200);
		JsonNode links = index.json();
		assertThat(anonymous.get(links.get("openapi").asString()).status()).isEqualTo(200);
		assertThat(anonymous.get(links.get("health").asString()).status()).isEqualTo(200);
		assertThat(anonymous.get(links.get("issuer").asString()).status()).isEqualTo(200);
		assertThat(links.get("docs").asString()).isEqualTo("/swagger-ui.html");
	}
}
