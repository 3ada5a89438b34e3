package io.orderly.order;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.OrderlyApplication;
import io.orderly.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live order status over server-sent events: every step and status change, in order, until
 * the checkout ends; a reconnect with Last-Event-ID loses nothing and repeats nothing; any
 * instance follows an order another instance moves. The periodic re-check is an hour here,
 * so only the signals of saga progress can move a stream.
 */
@IntegrationTest
@TestPropertySource(properties = "orderly.order.events.recheck=1h")
class OrderEventsIntegrationTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	HikariDataSource dataSource;

	record Event(String id, String name, JsonNode data) {
	}

	@Test
	void followsAnOrderUntilItIsConfirmedAndResumesAfterTheLastEventSeen() throws Exception {
		Shop shop = new Shop(port);
		String sku = shop.product(1500, 10);
		Http.Response placed = Http.as(port, "alice").post("/v1/orders", Shop.order("alice", "tok_ok", sku, "1"),
				Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));
		assertThat(placed.status()).as(placed.body()).isEqualTo(202);
		String id = placed.json().get("id").asString();

		List<Event> events = follow(port, "alice", id, null);

		List<Event> progress = events.stream().filter(e -> e.name().equals("progress")).toList();
		List<Event> statuses = events.stream().filter(e -> e.name().equals("status")).toList();
		assertThat(statuses.getLast().data().get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(progress).extracting(e -> e.data().get("entry").get("kind").asString()).startsWith("STARTED")
			.endsWith("COMPLETED");
		assertThat(progress).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates();
		assertThat(progress).hasSize(shop.http.get("/v1/orders/" + id + "/timeline").json().get("entries").size());

		String resumeAfter = progress.get(1).id();
		List<Event> resumed = follow(port, "alice", id, resumeAfter);

		assertThat(resumed.stream().filter(e -> e.name().equals("progress")).map(Event::id).toList())
			.isEqualTo(progress.subList(2, progress.size()).stream().map(Event::id).toList());
		assertThat(resumed.getLast().name()).isEqualTo("status");
		assertThat(resumed.getLast().data().get("status").asString()).isEqualTo("CONFIRMED");
	}

	@Test
	void anotherInstanceFollowsAnOrderThisOneMoves() throws Exception {
		String url = dataSource.getJdbcUrl();
		String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
		try (ConfigurableApplicationContext other = new SpringApplicationBuilder(OrderlyApplication.class).profiles("test")
			.run("--server.port=0", "--orderly.psp.port=0", "--orderly.database.isolated=false",
					"--orderly.database.database=" + database, "--spring.main.banner-mode=off",
					"--orderly.order.events.recheck=1h", "--orderly.messaging.enabled=false")) {
			int otherPort = ((WebServerApplicationContext) other).getWebServer().getPort();
			Shop shop = new Shop(port);
			String sku = shop.product(900, 10);
			Tokens.of(otherPort, "alice");
			// The provider takes a second, so the stream there opens while the order is pending.
			shop.pspFaults("{\"latencyMs\": 1500}");
			try {
				// Placed here, moved by this instance's consumers (the other one runs none), followed there.
				Http.Response placed = Http.as(port, "alice").post("/v1/orders", Shop.order("alice", "tok_ok", sku, "1"),
						Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));
				String id = placed.json().get("id").asString();

				List<Event> events = follow(otherPort, "alice", id, null);

				List<String> statuses = events.stream().filter(e -> e.name().equals("status"))
					.map(e -> e.data().get("status").asString()).toList();
				assertThat(statuses).as("seen while pending, then confirmed").startsWith("PENDING").endsWith("CONFIRMED");
				assertThat(events.getLast().name()).isEqualTo("status");
			}
			finally {
				shop.resetPspFaults();
			}
		}
	}

	@Test
	void refusesSomebodyElsesOrderAndALastEventIdThatIsNotOne() {
		Shop shop = new Shop(port);
		String sku = shop.product(500, 10);
		String id = Http.as(port, "alice").post("/v1/orders", Shop.order("alice", "tok_ok", sku, "1"),
				Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString())).json().get("id").asString();

		Http.Response bobs = Http.as(port, "bob").send("/v1/orders/" + id + "/events", Map.of("Accept", "text/event-stream"));
		Http.Response badId = Http.as(port, "alice").send("/v1/orders/" + id + "/events",
				Map.of("Accept", "text/event-stream", "Last-Event-ID", "abc"));

		assertThat(bobs.status()).isEqualTo(404);
		assertThat(bobs.header("Content-Type")).startsWith("application/problem+json");
		assertThat(badId.status()).isEqualTo(400);
		assertThat(badId.header("Content-Type")).startsWith("application/problem+json");
	}

	/** Reads the order's stream until the server ends it (at most 30 s). */
	private static List<Event> follow(int port, String account, String orderId, String lastEventId) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/orders/" + orderId + "/events"))
			.header("Authorization", "Bearer " + Tokens.of(port, account))
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
			.send(request.build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		return CompletableFuture.supplyAsync(() -> {
			List<Event> events = new ArrayList<>();
			String[] current = new String[3];
			response.body().forEach(line -> {
				if (line.isEmpty()) {
					if (current[1] != null) {
						events.add(new Event(current[0], current[1], json.readTree(current[2])));
					}
					current[0] = current[1] = current[2] = null;
				}
				else if (line.startsWith("id:")) {
					current[0] = line.substring(3).strip();
				}
				else if (line.startsWith("event:")) {
					current[1] = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					current[2] = line.substring(5).strip();
				}
			});
			return events;
		}).get(30, TimeUnit.SECONDS);
	}
}
