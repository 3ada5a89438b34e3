package io.orderly.platform.web;

import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.platform.KernelIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator and a client rely on beyond the business API: health, metrics, problems, correlation. */
@KernelIntegrationTest
class OperationsIntegrationTest {

	@LocalServerPort
	int port;

	@Test
	void reportsLivenessAndADatabaseAwareReadiness() {
		Http http = new Http(port);
		assertThat(http.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
		Http.Response readiness = http.get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
	}

	@Test
	void exposesTheKernelsMetricsToPrometheus() {
		String metrics = new Http(port).get("/actuator/prometheus").body();
		assertThat(metrics).contains("orderly_outbox_backlog", "orderly_messaging_publish_latency_seconds",
				"orderly_messaging_consume_latency_seconds", "orderly_messaging_consumer_lag",
				"orderly_messaging_dead_letters_pending", "orderly_saga_needs_attention_pending");
	}

	@Test
	void answersEveryErrorAsAProblem() {
		Http http = new Http(port);
		Http.Response malformed = http.post("/test/counters", "{\"name\": ", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");
		assertThat(malformed.json().get("detail").asString()).isEqualTo("The request body is not valid JSON.");

		Http.Response wrongType = http.post("/test/counters", "{\"name\": \"x\", \"amount\": \"lots\"}",
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(wrongType.status()).isEqualTo(400);
		assertThat(wrongType.json().get("errors").get(0).get("field").asString()).isEqualTo("amount");

		Http.Response unknownPath = http.get("/v1/no-such-thing");
		assertThat(unknownPath.status()).isEqualTo(404);
		assertThat(unknownPath.header("Content-Type")).startsWith("application/problem+json");

		Http.Response wrongMethod = http.delete("/v1/admin/dead-letters");
		assertThat(wrongMethod.status()).isEqualTo(405);
		assertThat(wrongMethod.header("Content-Type")).startsWith("application/problem+json");

		Http.Response badParameter = http.get("/v1/admin/dead-letters?limit=100000");
		assertThat(badParameter.status()).isEqualTo(400);
		assertThat(badParameter.json().get("errors").get(0).get("field").asString()).isEqualTo("limit");
	}

	@Test
	void echoesOrIssuesACorrelationId() {
		Http http = new Http(port);
		assertThat(http.get("/actuator/health/liveness").header("X-Correlation-Id")).isNotBlank();
		Http.Response given = http.send("/actuator/health/liveness", Map.of("X-Correlation-Id", "abc-123"));
		assertThat(given.header("X-Correlation-Id")).isEqualTo("abc-123");
	}
}
