package io.orderly.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.orderly.Http;
import io.orderly.platform.KernelIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** Overload is answered with a 503 problem a client can retry, never a 500 or an endless wait. */
@KernelIntegrationTest
@Import({ GateController.class, io.orderly.TestEndpointsSecurity.class })
class AdmissionIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	GateController gate;

	@Autowired
	AdmissionProperties admission;

	@Test
	void refusesARequestBeyondTheBoundWith503AndRetryAfterWhileHealthStillAnswers() throws Exception {
		Http http = new Http(port);
		int bound = admission.maxConcurrentRequests();
		gate.close();
		List<CompletableFuture<Http.Response>> held = new ArrayList<>();
		try {
			for (int i = 0; i < bound; i++) {
				held.add(CompletableFuture.supplyAsync(() -> http.get("/test/gate")));
			}
			assertThat(gate.awaitInside(bound)).as("all %d requests inside", bound).isTrue();

			Http.Response refused = CompletableFuture.supplyAsync(() -> http.get("/test/gate"))
				.get(admission.maxWait().toMillis() + 10_000, TimeUnit.MILLISECONDS);
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("1");
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.json().get("type").asString()).isEqualTo("/problems/overloaded");

			assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
		}
		finally {
			gate.open();
		}
		for (CompletableFuture<Http.Response> request : held) {
			assertThat(request.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
		assertThat(http.get("/test/gate").status()).as("turns are given back").isEqualTo(200);
	}

	@Test
	void answersAnExhaustedConnectionPoolWith503AndRetryAfter() {
		Http.Response response = new Http(port).get("/test/no-connection");
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.header("Retry-After")).isEqualTo("1");
		assertThat(response.json().get("type").asString()).isEqualTo("/problems/overloaded");
	}
}
