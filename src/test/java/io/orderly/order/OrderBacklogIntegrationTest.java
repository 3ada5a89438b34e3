package io.orderly.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.order.internal.OrderBacklog;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Past the bound of orders in checkout, a new order is refused with 503 and stores nothing; it is accepted once the backlog drains. */
@IntegrationTest
@Import(CheckoutTestConfiguration.class)
@TestPropertySource(properties = { "orderly.order.max-pending=3", "orderly.order.backlog-refresh=1h" })
class OrderBacklogIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	OrderBacklog backlog;

	@Autowired
	JdbcClient jdbc;

	@Test
	void refusesNewOrdersWhileTooManyAreInCheckoutAndAcceptsThemWhenTheBacklogDrains() {
		Shop shop = new Shop(port);
		String customer = "c-" + UUID.randomUUID();
		String sku = shop.product(1000, 10);
		shop.pspFaults("{\"latencyMs\": 4000}");
		List<String> ids = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				Http.Response accepted = shop.place(Shop.order(customer, "tok_ok", sku, "1"));
				assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
				ids.add(accepted.json().get("id").asString());
			}
			backlog.refresh();

			String key = UUID.randomUUID().toString();
			Http.Response refused = shop.place(Shop.order(customer, "tok_ok", sku, "1"), key);
			assertThat(refused.status()).as(refused.body()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("2");
			assertThat(refused.json().get("type").asString()).isEqualTo("/problems/busy");
			assertThat(jdbc.sql("select count(*) from orders.orders where customer_id = :c").param("c", customer)
				.query(Long.class).single()).isEqualTo(3);

			shop.resetPspFaults();
			await().atMost(Duration.ofSeconds(60))
				.until(() -> ids.stream().allMatch(id -> shop.status(id).equals("CONFIRMED")));
			backlog.refresh();
			Http.Response retried = shop.place(Shop.order(customer, "tok_ok", sku, "1"), key);
			assertThat(retried.status()).as("the same key, sent again once the backlog drained").isEqualTo(202);
		}
		finally {
			shop.resetPspFaults();
		}
	}
}
