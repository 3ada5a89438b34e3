package io.orderly.payment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.payment.internal.Ledger;
import io.orderly.platform.messaging.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the payment tests share: commands sent as the saga sends them (through the outbox,
 * subject = order id), the replies it would get, the provider's own records, and a check that
 * the ledger balances and agrees with those records. Faults are reset around every test.
 */
@PaymentIntegrationTest
abstract class PaymentTestSupport {

	static final Duration DEADLINE = Duration.ofSeconds(60);

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	PaymentReplies replies;

	@Autowired
	Ledger ledger;

	@Autowired
	PaymentManagement payments;

	@LocalServerPort
	int port;

	PspRecords psp;

	@BeforeEach
	void setUpPsp() {
		psp = new PspRecords(port);
		psp.resetFaults();
	}

	@AfterEach
	void resetPsp() {
		psp.resetFaults();
	}

	static String newOrderId() {
		return "order-" + UUID.randomUUID();
	}

	void send(String orderId, Object command) {
		transactions.executeWithoutResult(status -> outbox.publish(orderId, command));
	}

	AuthorizePayment authorizePayment(String orderId, long amountMinor, String token) {
		return new AuthorizePayment(orderId, "customer-1", amountMinor, "EUR", token);
	}

	/** Waits for the order's {@code count}-th reply and returns it. */
	Object awaitReply(String orderId, int count) {
		await().atMost(DEADLINE).until(() -> replies.of(orderId).size() >= count);
		return replies.of(orderId).get(count - 1);
	}

	/** Authorizes {@code amountMinor} for a new order with tok_ok and returns the reply. */
	PaymentAuthorized authorized(String orderId, long amountMinor) {
		send(orderId, authorizePayment(orderId, amountMinor, "tok_ok"));
		return (PaymentAuthorized) awaitReply(orderId, 1);
	}

	/**
	 * The ledger balances (every transaction sums to zero), and per order it agrees with the
	 * provider's records: funds held = authorized and not yet captured or voided; receivable =
	 * captured minus refunded.
	 */
	void assertBooksMatchProvider(String orderId) {
		assertThat(ledger.unbalancedTransactions()).isEmpty();
		long held = 0;
		long receivable = 0;
		for (JsonNode authorization : psp.authorizations(orderId)) {
			if ("AUTHORIZED".equals(authorization.get("status").asString())) {
				held += authorization.get("amountMinor").asLong();
			}
			receivable += authorization.get("capturedMinor").asLong() - authorization.get("refundedMinor").asLong();
		}
		Map<String, Long> balances = ledger.balancesOf(orderId);
		assertThat(balances).as("ledger balances of %s", orderId)
			.containsEntry("customer_funds_held", held)
			.containsEntry("customer_funds_held_offset", -held)
			.containsEntry("psp_receivable", receivable)
			.containsEntry("revenue", -receivable);
	}

	List<String> ledgerKinds(String orderId) {
		return ledger.entriesOf(orderId).stream().map(PaymentView.LedgerEntry::kind).distinct().toList();
	}
}
