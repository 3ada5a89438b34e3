package io.orderly.load;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAsDuring;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doSwitch;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * An order's life after checkout, mixed: {@code orderly.rate} customers a second for
 * {@code orderly.duration} seconds each place an order of two lines (a x2, b x1), poll it until
 * checkout ends, and if it is confirmed do one of five things, by turn:
 * <ol>
 * <li>cancel it;</li>
 * <li>an operator refunds 500 (goodwill), and the customer cancels at once after (the refund's
 * lock: the cancel is refused while the refund is made, or refunds the rest after it);</li>
 * <li>take line b out before dispatch, and a second later cancel the order (refused while the
 * line's refund is being made; otherwise the rest is refunded, and the removed units must not
 * come back twice);</li>
 * <li>an operator dispatches it, the customer returns one unit of a (once the order shows it
 * dispatched), the operator receives it (back on sale), and gives a refund of 300 on top;</li>
 * <li>an operator dispatches it, and the customer cancels at once (409, or refused later).</li>
 * </ol>
 * Every answer a rule allows counts as ok (a 409 where a race may end that way); anything else
 * (a 5xx, a 400) fails the request. The books are checked afterwards by {@code bin/load-after-checkout}.
 */
public class AfterCheckoutSimulation extends Simulation {

	private final String run = Settings.string("run", UUID.randomUUID().toString().substring(0, 8));

	private final List<String> skus = List.of(product(1500), product(700));

	private final HttpProtocolBuilder protocol = http.baseUrl(Settings.BASE_URL)
		.contentTypeHeader("application/json")
		.acceptHeader("application/json")
		.authorizationHeader(Settings.bearer(Settings.TOKEN))
		.shareConnections();

	private static HttpRequestActionBuilder asOperator(HttpRequestActionBuilder request) {
		return request.header("Authorization", Settings.bearer(Settings.OPERATOR_TOKEN));
	}

	private static boolean notYet(String instant) {
		return instant == null || instant.isEmpty() || instant.equals("null");
	}

	private static String key() {
		return UUID.randomUUID().toString();
	}

	private final ChainBuilder place = exec(session -> session.set("body", order(session.userId())).set("key", key()))
		.tryMax(60, "attempt").on(
			exec(http("place order").post("/v1/orders")
				.header("Idempotency-Key", "#{key}")
				.body(StringBody("#{body}"))
				.check(status().is(202), jsonPath("$.id").saveAs("id"))),
			pause(Duration.ofMillis(0)))
		.exitHereIfFailed()
		.exec(session -> session.set("status", "PENDING"))
		.asLongAsDuring(session -> "PENDING".equals(session.getString("status")), Duration.ofSeconds(300)).on(
			pause(Duration.ofMillis(250)),
			exec(http("poll order").get("/v1/orders/#{id}").check(status().is(200), jsonPath("$.status").saveAs("status"))));

	private final ChainBuilder cancel = exec(http("cancel").post("/v1/orders/#{id}/cancel")
		.header("Idempotency-Key", session -> key())
		.check(status().in(202, 409)));

	private final ChainBuilder refund = exec(asOperator(http("refund").post("/v1/orders/#{id}/refunds")
		.header("Idempotency-Key", session -> key())
		.body(StringBody("{\"amountMinor\": 500, \"reason\": \"goodwill\"}"))
		.check(status().in(202, 409))));

	private final ChainBuilder dispatch = exec(asOperator(http("dispatch").post("/v1/admin/shipments/#{id}/dispatch")
		.check(status().in(200, 409))));

	/** The customer returns once the order shows the parcel left (the order hears of the dispatch by a message). */
	private final ChainBuilder returnAndReceive = exec(session -> session.set("dispatchedAt", ""))
		.asLongAsDuring(session -> notYet(session.getString("dispatchedAt")), Duration.ofSeconds(60)).on(
			pause(Duration.ofMillis(250)),
			exec(http("poll order").get("/v1/orders/#{id}")
				.check(status().is(200), jsonPath("$.dispatchedAt").ofString().withDefault("").saveAs("dispatchedAt"))))
		.exec(http("return").post("/v1/orders/#{id}/returns")
		.header("Idempotency-Key", session -> key())
		.body(StringBody(session -> "{\"lines\": [{\"sku\": \"" + skus.get(0) + "\", \"quantity\": 1}], \"reason\": \"too big\"}"))
		.check(status().is(201), jsonPath("$.id").saveAs("returnId")))
		.exitHereIfFailed()
		.exec(asOperator(http("receive").post("/v1/orders/#{id}/returns/#{returnId}/receive")
			.body(StringBody(session -> "{\"lines\": [{\"sku\": \"" + skus.get(0) + "\", \"quantity\": 1, \"restock\": true}]}"))
			.check(status().is(200))));

	private final ChainBuilder removeLine = exec(http("remove line").delete("/v1/orders/#{id}/items/" + "#{lineB}")
		.header("Idempotency-Key", session -> key())
		.check(status().in(200, 409)));

	{
		setUp(scenario("after checkout").exec(place)
			.doIf(session -> "CONFIRMED".equals(session.getString("status"))).then(
				exec(session -> session.set("lineB", skus.get(1)).set("turn", (int) (session.userId() % 5)))
					.doSwitch("#{turn}").on(
						onCase(0).then(cancel),
						onCase(1).then(refund.exec(cancel)),
						onCase(2).then(removeLine.pause(Duration.ofSeconds(1)).exec(cancel)),
						onCase(3).then(dispatch.exec(returnAndReceive)
							.exec(asOperator(http("refund after return").post("/v1/orders/#{id}/refunds")
								.header("Idempotency-Key", session -> key())
								.body(StringBody("{\"amountMinor\": 300, \"reason\": \"goodwill\"}"))
								.check(status().in(202, 409))))),
						onCase(4).then(dispatch.exec(cancel))))
			.injectOpen(constantUsersPerSec(Settings.integer("rate", 5)).during(Duration.ofSeconds(Settings.integer("duration", 60)))))
			.protocols(protocol);
	}

	private String order(long user) {
		return """
				{"customerId": "load-%s-%d", "items": [{"sku": "%s", "quantity": 2}, {"sku": "%s", "quantity": 1}],
				 "shippingAddress": {"name": "Ada Lovelace", "line1": "1 Main St", "city": "Berlin", "postalCode": "10115", "country": "DE"},
				 "paymentToken": "tok_ok"}""".formatted(run, user % 1000, skus.get(0), skus.get(1));
	}

	private static String product(long priceMinor) {
		String sku = "AFTER-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
		Settings.send("PUT", "/v1/products/" + sku,
				"{\"name\": \"Load " + sku + "\", \"priceMinor\": " + priceMinor + ", \"currency\": \"EUR\"}");
		Settings.send("POST", "/v1/inventory/" + sku + "/adjustments", "{\"delta\": " + Settings.integer("stock", 1_000_000)
				+ ", \"reason\": \"restock\"}");
		return sku;
	}
}
