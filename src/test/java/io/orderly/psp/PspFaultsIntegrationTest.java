package io.orderly.psp;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.orderly.psp.PspClient.newKey;
import static io.orderly.psp.PspClient.newReference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class PspFaultsIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	@LocalServerPort
	int platformPort;

	@Value("${orderly.psp.port}")
	int pspPort;

	PspClient client;

	final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

	@BeforeEach
	void setUp() {
		client = new PspClient(pspPort, platformPort);
		client.resetFaults();
	}

	@AfterEach
	void tearDown() {
		client.resetFaults();
		threads.shutdownNow();
	}

	@Test
	void failsWith500AndDoesNothingAtErrorRateOne() {
		String reference = newReference();
		String key = newKey();
		client.setFaults("""
				{"errorRate": 1}""");

		Http.Response failed = client.authorize(key, reference, 100, "tok_ok");

		assertThat(failed.status()).isEqualTo(500);
		assertThat(failed.json().get("type").asString()).isEqualTo("/problems/psp-internal-error");
		assertThat(client.charges(reference).json().get("items").isEmpty()).isTrue();
		client.resetFaults();
		Http.Response retried = client.authorize(key, reference, 100, "tok_ok");
		assertThat(retried.status()).isEqualTo(201);
		assertThat(retried.header("Idempotent-Replayed")).isNull();
	}

	@Test
	void doesTheWorkButLosesTheResponse() {
		String reference = newReference();
		String key = newKey();
		client.setFaults("""
				{"lostResponseRate": 1}""");

		assertThatThrownBy(() -> client.authorize(key, reference, 2598, "tok_ok")).isInstanceOf(UncheckedIOException.class);

		var charges = client.charges(reference).json().get("items");
		assertThat(charges).hasSize(1);
		assertThat(charges.get(0).get("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(charges.get(0).get("amountMinor").asLong()).isEqualTo(2598);
		client.resetFaults();
		Http.Response retried = client.authorize(key, reference, 2598, "tok_ok");
		assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(retried.json().get("id").asString()).isEqualTo(charges.get(0).get("id").asString());
		assertThat(client.charges(reference).json().get("items")).hasSize(1);
	}

	@Test
	void refusesConnectionsWhileDownAndKeepsTheControlPlaneAndRecordsUp() {
		String reference = newReference();
		client.authorize(newKey(), reference, 100, "tok_ok");

		Http.Response down = client.setFaults("""
				{"down": true}""");

		assertThat(down.json().get("down").asBoolean()).isTrue();
		assertThatThrownBy(() -> client.authorize(newKey(), reference, 100, "tok_ok"))
			.isInstanceOf(UncheckedIOException.class)
			.hasCauseInstanceOf(ConnectException.class);
		assertThat(client.platform.get("/psp/admin/status").json().get("up").asBoolean()).isFalse();
		assertThat(client.charges(reference).json().get("items")).hasSize(1);

		client.setFaults("""
				{"down": false}""");

		assertThat(client.authorize(newKey(), reference, 100, "tok_ok").status()).isEqualTo(201);
		assertThat(client.charges(reference).json().get("items")).hasSize(2);
	}

	@Test
	void hangsOnTimeoutWithoutDoingAnythingUntilReleased() throws Exception {
		String reference = newReference();
		client.setFaults("""
				{"timeoutRate": 1, "timeoutMs": 600000}""");

		CompletableFuture<Http.Response> hanging = CompletableFuture
			.supplyAsync(() -> client.authorize(newKey(), reference, 100, "tok_ok"), threads);
		await().atMost(DEADLINE)
			.until(() -> client.platform.get("/psp/admin/status").json().get("hangingRequests").asInt() == 1);

		assertThat(hanging).isNotDone();
		client.resetFaults();
		assertThat(hanging.get().status()).isEqualTo(504);
		assertThat(client.charges(reference).json().get("items").isEmpty()).isTrue();
	}

	@Test
	void neverFaultsTheRecords() {
		client.setFaults("""
				{"errorRate": 1, "lostResponseRate": 1}""");

		assertThat(client.psp.get("/psp/v1/charges?reference=any").status()).isEqualTo(200);
		assertThat(client.psp.get("/psp/v1/authorizations?reference=any").status()).isEqualTo(500);
	}

	@Test
	void readsSetsAndResetsTheFaults() {
		Http.Response set = client.setFaults("""
				{"errorRate": 0.3, "latencyMs": 50, "timeoutRate": 0.05, "lostResponseRate": 0.05, "down": false}""");

		assertThat(set.status()).isEqualTo(200);
		assertThat(client.platform.get("/psp/admin/faults").body()).isEqualTo(set.body());
		assertThat(set.json().get("errorRate").asDouble()).isEqualTo(0.3);
		assertThat(set.json().get("latencyMs").asLong()).isEqualTo(50);
		assertThat(set.json().get("timeoutMs").asLong()).isEqualTo(30000);

		Http.Response reset = client.resetFaults();

		assertThat(reset.status()).isEqualTo(200);
		assertThat(client.platform.get("/psp/admin/faults").json().get("errorRate").asDouble()).isZero();
		assertThat(client.platform.get("/psp/admin/faults").json().get("latencyMs").asLong()).isZero();
		assertThat(client.authorize(newKey(), newReference(), 100, "tok_ok").status()).isEqualTo(201);
	}

	@Test
	void refusesFaultSettingsOutOfRangeAndKeepsTheOldOnes() {
		client.setFaults("""
				{"errorRate": 0.5}""");

		Http.Response refused = client.setFaults("""
				{"errorRate": 2}""");

		assertThat(refused.status()).isEqualTo(400);
		assertThat(client.platform.get("/psp/admin/faults").json().get("errorRate").asDouble()).isEqualTo(0.5);
	}
}
