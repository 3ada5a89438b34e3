package io.orderly.payment;

import java.util.List;
import java.util.UUID;

import io.orderly.payment.internal.Ledger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger's own guarantees, enforced by the database whatever the code does. */
class LedgerIntegrationTest extends PaymentTestSupport {

	@Autowired
	JdbcClient jdbc;

	@Test
	void refusesToCommitATransactionWhoseEntriesDoNotSumToZero() {
		String orderId = newOrderId();

		assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
			UUID transaction = insertTransaction(orderId);
			insertEntry(transaction, orderId, "psp_receivable", 500, "EUR");
			insertEntry(transaction, orderId, "revenue", -499, "EUR");
		})).hasMessageContaining("does not balance");

		assertThat(ledger.entriesOf(orderId)).isEmpty();
	}

	@Test
	void refusesToCommitATransactionThatMixesCurrencies() {
		String orderId = newOrderId();

		assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
			UUID transaction = insertTransaction(orderId);
			insertEntry(transaction, orderId, "psp_receivable", 500, "EUR");
			insertEntry(transaction, orderId, "revenue", -500, "USD");
		})).hasMessageContaining("currencies");
	}

	@Test
	void reportsUnbalancedTransactions() {
		String orderId = newOrderId();

		// With the balance trigger switched off for this transaction only, then rolled back.
		List<Ledger.Unbalanced> found = transactions.execute(status -> {
			jdbc.sql("set local session_replication_role = replica").update();
			UUID transaction = insertTransaction(orderId);
			insertEntry(transaction, orderId, "psp_receivable", 500, "EUR");
			List<Ledger.Unbalanced> unbalanced = ledger.unbalancedTransactions();
			status.setRollbackOnly();
			return unbalanced;
		});

		assertThat(found).singleElement().satisfies(unbalanced -> {
			assertThat(unbalanced.orderId()).isEqualTo(orderId);
			assertThat(unbalanced.sumMinor()).isEqualTo(500);
		});
		assertThat(ledger.unbalancedTransactions()).isEmpty();
	}

	@Test
	void refusesToChangeOrDeleteBookedEntries() {
		String orderId = newOrderId();
		authorized(orderId, 800);

		assertThatThrownBy(() -> jdbc.sql("update payment.ledger_entries set amount_minor = 1 where order_id = :order")
			.param("order", orderId)
			.update()).hasMessageContaining("append-only");
		assertThatThrownBy(() -> jdbc.sql("delete from payment.ledger_entries where order_id = :order")
			.param("order", orderId)
			.update()).hasMessageContaining("append-only");
		assertThat(ledger.balancesOf(orderId)).containsEntry("customer_funds_held", 800L);
	}

	private UUID insertTransaction(String orderId) {
		UUID id = UUID.randomUUID();
		jdbc.sql("""
				insert into payment.ledger_transactions (id, order_id, kind, created_at)
				values (:id, :order, 'CAPTURE', now())""").param("id", id).param("order", orderId).update();
		return id;
	}

	private void insertEntry(UUID transaction, String orderId, String account, long amount, String currency) {
		jdbc.sql("""
				insert into payment.ledger_entries (transaction_id, order_id, account, amount_minor, currency, created_at)
				values (:transaction, :order, :account, :amount, :currency, now())""")
			.param("transaction", transaction)
			.param("order", orderId)
			.param("account", account)
			.param("amount", amount)
			.param("currency", currency)
			.update();
	}
}
