package io.orderly.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.IntegrationTest;
import io.orderly.payment.internal.Ledger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The payment provider misbehaves the way real ones do while customers keep ordering: 30% of
 * calls fail, 5% hang past our timeout, 5% lose their response after doing the work, latency
 * spikes, and in the middle it goes away altogether. Once it is healthy again, every order is
 * CONFIRMED or CANCELLED, no order has more captured than its total (by the provider's own
 * records, not ours), a confirmed order is captured exactly once, a cancelled one holds nothing,
 * and the ledger agrees with the provider. Orders placed during the outage wait, visibly, and
 * go through when it ends.
 */
@IntegrationTest
@Import(CheckoutTestConfiguration.class)
@TestPropertySource(properties = { "orderly.payment.psp.connect-timeout=500ms", "orderly.payment.psp.read-timeout=1s",
		"orderly.payment.psp.backoff-base=20ms", "orderly.payment.psp.backoff-max=200ms",
		"orderly.payment.psp.breaker.minimum-calls=10", "orderly.payment.psp.breaker.open-for=1s",
		"orderly.payment.pending.interval=200ms", "orderly.payment.pending.backoff-base=200ms",
		"orderly.payment.pending.backoff-max=1s", "orderly.payment.watch.interval=1s",
		"orderly.saga.compensation-backoff-base=500ms", "orderly.saga.compensation-backoff-max=2s" })
class CheckoutUnderPaymentFaultsIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(120);

	private static final String FLAKY = """
			{"errorRate": 0.3, "timeoutRate": 0.05, "timeoutMs": 1500, "lostResponseRate": 0.05}""";

	private static final String SPIKE = """
			{"errorRate": 0.3, "timeoutRate": 0.05, "timeoutMs": 1500, "lostResponseRate": 0.05, "latencyMs": 800}""";

	@LocalServerPort
	int port;

	@Autowired
	Ledger ledger;

	private Shop shop() {
		return new Shop(port);
	}

	@AfterEach
	void healthy() {
		shop().resetPspFaults();
	}

	@Test
	void everyOrderEndsChargedAtMostItsTotalAndTheLedgerAgreesWithTheProvider() {
		String sku = shop().product(1250, 1000);
		String customer = "faults-" + UUID.randomUUID();
		List<String> orders = new ArrayList<>();

		shop().pspFaults(FLAKY);
		placeSome(orders, customer, sku, 12);
		shop().pspFaults(SPIKE);
		placeSome(orders, customer, sku, 8);

		shop().pspFaults("""
				{"down": true}""");
		List<String> duringOutage = new ArrayList<>();
		placeSome(duringOutage, customer, sku, 8);
		orders.addAll(duringOutage);
		await().atMost(DEADLINE).until(() -> duringOutage.stream()
			.anyMatch(id -> "payment_pending".equals(shop().get(id).get("progress").asString())));
		assertThat(duringOutage).allSatisfy(id -> assertThat(shop().status(id)).isEqualTo("PENDING"));

		shop().pspFaults(FLAKY);
		placeSome(orders, customer, sku, 6);
		shop().resetPspFaults();

		await().atMost(DEADLINE).until(() -> orders.stream().allMatch(id -> !shop().status(id).equals("PENDING")));
		int confirmed = 0;
		for (String id : orders) {
			JsonNode order = shop().get(id);
			long total = order.get("totalMinor").asLong();
			assertThat(shop().captured(id)).as("captured for %s", id).isLessThanOrEqualTo(total);
			if (order.get("status").asString().equals("CONFIRMED")) {
				confirmed++;
				assertThat(shop().captured(id)).as("captured for confirmed %s", id).isEqualTo(total);
				assertThat(shop().charges(id)).as("authorizations of %s", id).hasSize(1);
			}
			else {
				// A cancelled order holds nothing: whatever an attempt authorized is voided (by the watch, soon).
				await().atMost(DEADLINE).until(() -> holdsNothing(id));
			}
		}
		assertThat(confirmed).as("orders confirmed despite the faults").isGreaterThan(orders.size() / 2);
		assertThat(duringOutage).as("orders placed during the outage went through after it")
			.anySatisfy(id -> assertThat(shop().status(id)).isEqualTo("CONFIRMED"));

		assertThat(ledger.unbalancedTransactions()).isEmpty();
		for (String id : orders) {
			await().atMost(DEADLINE).untilAsserted(() -> assertLedgerMatchesProvider(id));
		}
	}

	private void placeSome(List<String> orders, String customer, String sku, int count) {
		for (int i = 0; i < count; i++) {
			var placed = shop().place(Shop.order(customer, "tok_ok", sku, "1"));
			assertThat(placed.status()).as(placed.body()).isEqualTo(202);
			orders.add(placed.json().get("id").asString());
		}
	}

	private boolean holdsNothing(String id) {
		for (JsonNode charge : shop().charges(id)) {
			String status = charge.get("status").asString();
			if (status.equals("AUTHORIZED")
					|| charge.get("capturedMinor").asLong() > charge.get("refundedMinor").asLong()) {
				return false;
			}
		}
		return true;
	}

	/** Funds held = authorized and not yet captured or voided; receivable = captured minus refunded. */
	private void assertLedgerMatchesProvider(String id) {
		long held = 0;
		long receivable = 0;
		for (JsonNode charge : shop().charges(id)) {
			if ("AUTHORIZED".equals(charge.get("status").asString())) {
				held += charge.get("amountMinor").asLong();
			}
			receivable += charge.get("capturedMinor").asLong() - charge.get("refundedMinor").asLong();
		}
		Map<String, Long> balances = ledger.balancesOf(id);
		assertThat(balances.getOrDefault("customer_funds_held", 0L)).as("held of %s", id).isEqualTo(held);
		assertThat(balances.getOrDefault("psp_receivable", 0L)).as("receivable of %s", id).isEqualTo(receivable);
	}
}
