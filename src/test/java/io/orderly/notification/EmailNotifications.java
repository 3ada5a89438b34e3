package io.orderly.notification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The e-mail tests' calls: a notification sent by e-mail, and how one of its deliveries stands. */
final class EmailNotifications {

	private EmailNotifications() {
	}

	/** Sends {@code template} to {@code recipient} by e-mail (202); returns the notification's id. */
	static String send(Http http, String recipient, String template, Map<String, Object> data) {
		Http.Response response = http.post("/v1/notifications", Http.toJson(Map.of("recipient", recipient, "template",
				template, "data", data, "channels", List.of("email"))), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		return response.json().get("id").asString();
	}

	static JsonNode delivery(Http http, String id, String channel) {
		return http.get("/v1/notifications/" + id)
			.json()
			.get("deliveries")
			.valueStream()
			.filter(d -> d.get("channel").asString().equals(channel))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + channel + " delivery of " + id));
	}
}
