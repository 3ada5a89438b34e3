package io.orderly.links;

import java.util.Map;
import java.util.UUID;

import io.orderly.Http;

import static org.assertj.core.api.Assertions.assertThat;

/** Short links made over HTTP, as a client makes them, for the links tests. */
final class LinkRequests {

	private LinkRequests() {
	}

	/** POST /v1/links with {@code json} and a fresh Idempotency-Key. */
	static Http.Response create(Http http, String json) {
		return http.post("/v1/links", json, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
	}

	/** Makes a link to {@code url} and returns its code. */
	static String code(Http http, String url) {
		Http.Response created = create(http, "{\"url\": \"" + url + "\"}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().get("code").asString();
	}
}
