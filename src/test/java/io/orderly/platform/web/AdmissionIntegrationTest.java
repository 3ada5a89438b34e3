package io.orderly.platform.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.orderly.Http;
import io.orderly.platform.KernelIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	@Autowired
	AdmissionFilter filter;

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
			// The provider's webhooks are not held back either (whatever else they are answered).
			assertThat(Http.anonymous(port).post("/v1/webhooks/psp", "{}", Map.of("Content-Type", "application/json")).status())
				.isNotEqualTo(503);
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
	void webhooksHaveALineOfTheirOwnBoundedApartFromTheApis() throws Exception {
		Http http = new Http(port);
		int bound = admission.maxConcurrentWebhooks();
		gate.close();
		List<CompletableFuture<Http.Response>> held = new ArrayList<>();
		try {
			for (int i = 0; i < bound; i++) {
				held.add(CompletableFuture.supplyAsync(() -> http.get("/v1/webhooks/test/gate")));
			}
			assertThat(gate.awaitInside(bound)).as("all %d webhooks inside", bound).isTrue();

			Http.Response refused = CompletableFuture.supplyAsync(() -> http.get("/v1/webhooks/test/gate"))
				.get(admission.maxWait().toMillis() + 10_000, TimeUnit.MILLISECONDS);
			assertThat(refused.status()).as("a webhook beyond its line's bound").isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("1");

			// The API's turns are its own: a request gets in while the webhooks' line is full.
			held.add(CompletableFuture.supplyAsync(() -> http.get("/test/gate")));
			assertThat(gate.awaitInside(1)).as("an API request inside").isTrue();
		}
		finally {
			gate.open();
		}
		for (CompletableFuture<Http.Response> request : held) {
			assertThat(request.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
	}

	@Test
	void theApiIsBusyWhileItsBusyTurnsAreTakenAndForALingerAfter() throws Exception {
		Http http = new Http(port);
		int turns = admission.busyTurns();
		await().atMost(Duration.ofSeconds(10)).until(() -> !filter.busy());
		gate.close();
		List<CompletableFuture<Http.Response>> held = new ArrayList<>();
		try {
			for (int i = 0; i < turns - 1; i++) {
				held.add(CompletableFuture.supplyAsync(() -> http.get("/test/gate")));
			}
			assertThat(gate.awaitInside(turns - 1)).isTrue();
			assertThat(filter.busy()).as("%d turns taken", turns - 1).isFalse();

			held.add(CompletableFuture.supplyAsync(() -> http.get("/test/gate")));
			assertThat(gate.awaitInside(1)).isTrue();
			assertThat(filter.busy()).as("%d turns taken", turns).isTrue();
			// For as long as they are taken, not only for the linger after the request that took the last.
			await().during(admission.busyLinger().plusMillis(500)).atMost(admission.busyLinger().plusSeconds(5))
				.until(filter::busy);
		}
		finally {
			gate.open();
		}
		for (CompletableFuture<Http.Response> request : held) {
			assertThat(request.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
		await().atMost(admission.busyLinger().plusSeconds(10)).until(() -> !filter.busy());
	}

	@Test
	void refusesAtOnceWhenTheLineOfWaitersIsFull() throws Exception {
		Http http = new Http(port);
		int bound = admission.maxConcurrentRequests();
		int line = admission.maxWaiting();
		gate.close();
		List<Future<Http.Response>> requests = new ArrayList<>();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			try {
				for (int i = 0; i < bound; i++) {
					requests.add(clients.submit(() -> http.get("/test/gate")));
				}
				assertThat(gate.awaitInside(bound)).as("all %d requests inside", bound).isTrue();
				List<Future<Http.Response>> waiters = new ArrayList<>();
				for (int i = 0; i < line; i++) {
					waiters.add(clients.submit(() -> http.get("/test/gate")));
				}
				requests.addAll(waiters);
				await().atMost(Duration.ofSeconds(10)).until(() -> admission.maxWaiting() == filter.waiting());

				Http.Response refused = http.get("/test/gate");

				assertThat(refused.status()).isEqualTo(503);
				assertThat(refused.json().get("type").asString()).isEqualTo("/problems/overloaded");
				assertThat(waiters).as("refused before any of the line gave up waiting, so without waiting itself")
					.noneMatch(Future::isDone);
			}
			finally {
				gate.open();
			}
			for (Future<Http.Response> request : requests) {
				assertThat(request.get(10, TimeUnit.SECONDS).status()).isIn(200, 503);
			}
		}
		assertThat(filter.waiting()).isZero();
	}

	/** Opens a connection that sends a PUT's headers and the first byte of a body of {@code length} bytes, then nothing. */
	private java.net.Socket slowBody(String token, int length) throws java.io.IOException {
		java.net.Socket socket = new java.net.Socket("localhost", port);
		socket.getOutputStream()
			.write(("PUT /v1/products/SLOW HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n{")
				.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		return socket;
	}

	@Test
	void clientsSlowToSendTheirBodiesTakeNoTurnFromOthers() throws Exception {
		Http http = new Http(port);
		String token = io.orderly.Tokens.of(port, "admin");
		List<java.net.Socket> slow = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				slow.add(slowBody(token, 100));
			}
			List<CompletableFuture<Http.Response>> others = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				others.add(CompletableFuture.supplyAsync(() -> http.get("/test/gate")));
			}
			for (CompletableFuture<Http.Response> other : others) {
				assertThat(other.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
		}
		finally {
			for (java.net.Socket socket : slow) {
				socket.close();
			}
		}
	}

	@Test
	void aBodyThatDoesNotArriveInTimeGets408AsAProblem() throws Exception {
		try (java.net.Socket socket = slowBody(io.orderly.Tokens.of(port, "admin"), 1_000)) {
			socket.setSoTimeout(15_000);
			java.io.InputStream in = socket.getInputStream();
			// A byte every quarter second keeps the connection busy but the body late.
			CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
				try {
					for (int i = 0; i < 160 && !socket.isClosed(); i++) {
						socket.getOutputStream().write(' ');
						socket.getOutputStream().flush();
						TimeUnit.MILLISECONDS.sleep(250);
					}
				}
				catch (Exception closed) {
					// the server answered and closed
				}
			});
			StringBuilder answer = new StringBuilder();
			byte[] buffer = new byte[1024];
			while (!answer.toString().contains("}")) {
				int n = in.read(buffer);
				if (n < 0) {
					break;
				}
				answer.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
			}
			trickle.cancel(true);

			assertThat(answer.toString()).startsWith("HTTP/1.1 408");
			assertThat(answer.toString()).contains("application/problem+json").contains("/problems/request-timeout");
		}
	}

	@Test
	void answersAnExhaustedConnectionPoolWith503AndRetryAfter() {
		Http.Response response = new Http(port).get("/test/no-connection");
		assertThat(response.status()).isEqualTo(503);
		assertThat(response.header("Retry-After")).isEqualTo("1");
		assertThat(response.json().get("type").asString()).isEqualTo("/problems/overloaded");
	}
}
