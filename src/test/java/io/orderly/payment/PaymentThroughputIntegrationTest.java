package io.orderly.payment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How many authorizations and captures per second the payment module gets through against the
 * PSP simulator in the same process (each a real HTTP call and a database transaction on each
 * side). Opt-in, as it loads the machine: {@code ./mvnw test -Dtest=PaymentThroughputIntegrationTest
 * -Dbench.payment=true [-Dbench.orders=3000] [-Dspring.datasource.hikari.maximum-pool-size=16]}.
 */
@EnabledIfSystemProperty(named = "bench.payment", matches = "true")
class PaymentThroughputIntegrationTest extends PaymentTestSupport {

	@Autowired
	MeterRegistry meters;

	@Test
	void authorizesAndCapturesInBulk() {
		int count = Integer.getInteger("bench.orders", 3000);
		List<String> orders = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			orders.add(newOrderId());
		}

		long authorizeNanos = timed(orders, orderId -> authorizePayment(orderId, 1999, "tok_ok"), 1);
		long captureNanos = timed(orders, CapturePayment::new, 2);

		assertThat(orders).allSatisfy(orderId -> assertThat(replies.of(orderId).get(1)).isInstanceOf(PaymentCaptured.class));
		System.out.printf(Locale.ROOT,
				"%nPAYMENT THROUGHPUT (%d orders): authorize %.0f/s, capture %.0f/s; mean PSP call: authorize %.1f ms, capture %.1f ms%n%n",
				count, count / (authorizeNanos / 1e9), count / (captureNanos / 1e9), meanMillis("authorize"),
				meanMillis("capture"));
	}

	private double meanMillis(String operation) {
		Timer timer = meters.find("orderly.payment.psp.calls").tag("operation", operation).tag("outcome", "ok").timer();
		return timer == null ? Double.NaN : timer.mean(TimeUnit.MILLISECONDS);
	}

	/** Publishes one command per order, 100 per transaction, and waits for every order's n-th reply. */
	private long timed(List<String> orders, java.util.function.Function<String, Object> command, int reply) {
		long start = System.nanoTime();
		for (int from = 0; from < orders.size(); from += 100) {
			List<String> batch = orders.subList(from, Math.min(from + 100, orders.size()));
			transactions.executeWithoutResult(status -> batch.forEach(id -> outbox.publish(id, command.apply(id))));
		}
		await().atMost(Duration.ofMinutes(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> orders.stream().allMatch(id -> replies.of(id).size() >= reply));
		return System.nanoTime() - start;
	}
}
