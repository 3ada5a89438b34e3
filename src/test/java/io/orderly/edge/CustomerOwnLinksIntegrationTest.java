package io.orderly.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

/** A customer reads, counts and deletes only the short links they made; the redirect is for everybody. */
@IntegrationTest
class CustomerOwnLinksIntegrationTest {

	@LocalServerPort
	int port;

	@Test
	void anotherCustomersLinkAnswersLikeAMissingOneAndStays() {
		Http alice = Http.as(port, "alice");
		Http bob = Http.as(port, "bob");
		Http.Response made = alice.post("/v1/links", "{\"url\": \"https://example.com/" + UUID.randomUUID() + "\"}",
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(made.status()).as(made.body()).isEqualTo(201);
		String code = made.json().get("code").asString();
		assertThat(made.json().get("owner").asString()).isEqualTo("alice");
		String missing = code.substring(0, code.length() - 1) + (code.endsWith("z") ? "y" : "z");

		Http.Response others = bob.get("/v1/links/" + code);
		Http.Response absent = bob.get("/v1/links/" + missing);

		assertThat(others.status()).isEqualTo(404);
		assertThat(others.body().replace(code, missing)).isEqualTo(absent.body());
		assertThat(bob.get("/v1/links/" + code + "/stats").status()).isEqualTo(404);
		assertThat(bob.delete("/v1/links/" + code).status()).isEqualTo(404);
		assertThat(alice.get("/v1/links/" + code).status()).isEqualTo(200);
		assertThat(Http.as(port, "support").get("/v1/links/" + code).status()).isEqualTo(200);
		assertThat(Http.anonymous(port).get("/s/" + code).status()).isEqualTo(302);
		assertThat(alice.delete("/v1/links/" + code).status()).isEqualTo(204);
	}
}
