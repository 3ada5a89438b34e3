package io.orderly.notification;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.platform.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import static io.orderly.notification.EmailNotifications.delivery;
import static io.orderly.notification.EmailNotifications.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * E-mail that cannot be sent (an SMTP server that refuses every connection): a critical message
 * falls back to SMS once after its three attempts; other messages do not fall back.
 */
@IntegrationTest
@Import(NotificationTestConfiguration.class)
@TestPropertySource(properties = { "orderly.notification.mail.embedded=false", "spring.mail.host=127.0.0.1",
		"spring.mail.port=9", "orderly.notification.retry-after=10m" })
class CriticalFallbackIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	@Autowired
	MutableClock clock;

	@LocalServerPort
	int port;

	@Test
	void aCriticalMessageEmailCannotCarryGoesBySmsOnceAndOthersDoNot() {
		String customer = "c-" + UUID.randomUUID().toString().substring(0, 8);
		Http operator = Http.as(port, "operator");
		assertThat(operator.put("/v1/customers/" + customer + "/notification-preferences", Http.toJson(Map.of("contacts",
				Map.of("email", customer + "@example.com", "phone", "+4915112345678"))), Map.of()).status()).isEqualTo(200);
		String critical = send(operator, customer, "security-alert", Map.of("event", "password changed"));
		String marketing = send(operator, customer, "promotion", Map.of("headline", "Mugs", "text", "Cheap."));

		for (int attempt = 1; attempt <= 2; attempt++) {
			int done = attempt;
			await().atMost(DEADLINE).until(() -> List.of(critical, marketing).stream()
				.allMatch(id -> delivery(operator, id, "email").get("attempts").asInt() == done));
			clock.advance(Duration.ofMinutes(25));
		}
		JsonNode failed = await().atMost(DEADLINE).until(() -> delivery(operator, critical, "email"),
				d -> d.get("status").asString().equals("FAILED"));
		assertThat(failed.get("attempts").asInt()).isEqualTo(3);
		JsonNode sms = await().atMost(DEADLINE).until(() -> delivery(operator, critical, "sms"),
				d -> List.of("SENT", "DELIVERED").contains(d.get("status").asString()));
		assertThat(sms.get("history").get(0).get("detail").asString()).isEqualTo("fallback: e-mail failed");
		assertThat(sms.get("body").asString()).isEqualTo("Security notice: password changed.");

		await().atMost(DEADLINE).until(() -> delivery(operator, marketing, "email").get("status").asString(),
				"FAILED"::equals);
		assertThat(operator.get("/v1/notifications/" + marketing).json().get("deliveries")).hasSize(1);
	}
}
