package io.orderly.load;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAsDuring;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.tryMax;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The checkout as customers drive it: place an order (with an Idempotency-Key, retried with the
 * same key after a 503 as Retry-After asks), then follow it until it is CONFIRMED or CANCELLED:
 * through its live event stream ({@code GET /v1/orders/{id}/events}), or with
 * {@code -Dorderly.follow=poll} by reading it every {@code orderly.pollMs}.
 *
 * <p>{@code -Dorderly.mode=rate} (default): {@code orderly.rate} new orders a second for
 * {@code orderly.duration} seconds. {@code mode=concurrency}: {@code orderly.concurrency}
 * customers, each placing orders one after the other. {@code mode=flash}: {@code orderly.orders}
 * customers at once for the skus given. Products: {@code orderly.skus} (comma-separated), or
 * created here with {@code orderly.stock} units each (as the operator: {@code orderly.operatorToken}).
 * Orders name their customer and are placed and polled with {@code orderly.token}, a service's
 * (shop's) access token.
 */
public class CheckoutSimulation extends Simulation {

	private final String mode = Settings.string("mode", "rate");

	/** Customers of a flash sale poll once a second; others four times. */
	private final int pollMillis = Settings.integer("pollMs", "flash".equals(mode) ? 1000 : 250);

	private final List<String> skus = skus();

	private final String run = Settings.string("run", UUID.randomUUID().toString().substring(0, 8));

	/** Every request here is a protected one: shop's token ({@code orderly.token}) on each. */
	private final HttpProtocolBuilder protocol = http.baseUrl(Settings.BASE_URL)
		.contentTypeHeader("application/json")
		.acceptHeader("application/json")
		.authorizationHeader(Settings.bearer(Settings.TOKEN))
		.shareConnections();

	private final ChainBuilder placeAndAwait = exec(session -> session.set("key", UUID.randomUUID().toString())
		.set("body", order(session.userId())))
		.tryMax(120, "attempt").on(
			// Retry-After says 1 s; each customer adds up to 1 s more at random, so that the
			// ones turned away together do not all come back together.
			doIf(session -> session.getInt("attempt") > 0).then(pause(Duration.ofMillis(1000), Duration.ofMillis(2000))),
			exec(http("place order").post("/v1/orders")
				.header("Idempotency-Key", "#{key}")
				.body(StringBody("#{body}"))
				.check(status().is(202), jsonPath("$.id").saveAs("id"))))
		.exitHereIfFailed()
		.exec(session -> session.set("status", "PENDING"))
		.group("await final status").on("poll".equals(Settings.string("follow", "events"))
				? asLongAsDuring(session -> "PENDING".equals(session.getString("status")), Duration.ofSeconds(300)).on(
						pause(Duration.ofMillis(pollMillis)),
						exec(http("poll order").get("/v1/orders/#{id}").check(status().is(200),
								jsonPath("$.status").saveAs("status"))))
				// The order's live stream: its events until the status event that ends the checkout.
				: exec(sse("follow order").get("/v1/orders/#{id}/events").header("Accept", "text/event-stream")
					.await(Duration.ofSeconds(300)).on(sse.checkMessage("final status")
						.matching(jsonPath("$.event").is("status"), regex(FINAL_STATUS).exists())
						.check(regex(FINAL_STATUS).saveAs("status"))))
					.exec(sse("close stream").close()));

	/** A status event's data, as Gatling hands it over (a JSON string in a JSON message): its final status. */
	private static final String FINAL_STATUS = "status\\\\\":\\\\\"(CONFIRMED|CANCELLED)";

	{
		ScenarioBuilder customers = scenario("checkout " + mode);
		PopulationBuilder population = switch (mode) {
			case "concurrency" -> customers
				.during(Duration.ofSeconds(Settings.integer("duration", 60))).on(placeAndAwait)
				.injectOpen(atOnceUsers(Settings.integer("concurrency", 32)));
			case "flash" -> customers.exec(placeAndAwait).injectOpen(atOnceUsers(Settings.integer("orders", 2000)));
			default -> customers.exec(placeAndAwait)
				.injectOpen(constantUsersPerSec(Settings.integer("rate", 50)).during(Duration.ofSeconds(Settings.integer("duration", 60))));
		};
		setUp(population).protocols(protocol);
	}

	private String order(long user) {
		String sku = skus.get((int) (user % skus.size()));
		return """
				{"customerId": "load-%s-%d", "items": [{"sku": "%s", "quantity": 1}],
				 "shippingAddress": {"name": "Ada Lovelace", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"},
				 "paymentToken": "tok_ok"}""".formatted(run, user % 1000, sku);
	}

	private static List<String> skus() {
		String given = Settings.string("skus", "");
		if (!given.isBlank()) {
			return List.of(given.split(","));
		}
		int stock = Settings.integer("stock", 1_000_000);
		return IntStream.range(0, 4).mapToObj(i -> {
			String sku = "LOAD-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + "-" + i;
			Settings.send("PUT", "/v1/products/" + sku, "{\"name\": \"Load " + sku + "\", \"priceMinor\": 1500, \"currency\": \"EUR\"}");
			Settings.send("POST", "/v1/inventory/" + sku + "/adjustments", "{\"delta\": " + stock + ", \"reason\": \"restock\"}");
			return sku;
		}).toList();
	}
}
