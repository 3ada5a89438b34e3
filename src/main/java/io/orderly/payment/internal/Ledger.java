package io.orderly.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.payment.PaymentView;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Ids;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The double-entry ledger of the payment module (accounts: {@link LedgerAccount}; entries per
 * movement: {@link LedgerTransaction}). Append-only. Every transaction's entries sum to zero,
 * checked here before writing and by the database at commit (a deferred constraint trigger);
 * {@link #unbalancedTransactions()} finds any that do not, which should be none.
 */
@Component
@ConditionalOnModule("payment")
public class Ledger {

	private final JdbcClient jdbc;

	private final Clock clock;

	Ledger(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Books {@code transaction} for the order unless a movement of its kind is booked already
	 * (an order is authorized, captured and voided at most once each).
	 *
	 * @return whether it was booked now
	 */
	boolean post(String orderId, String currency, String pspAuthorizationId, LedgerTransaction transaction) {
		return post(orderId, currency, pspAuthorizationId, transaction, "");
	}

	/**
	 * Books the refunds the provider reports for the order, {@code refundedMinor} in all: what of
	 * that total is not booked yet, as one movement whose reference is the total (so the same total
	 * learned twice, or an older one learned late, books nothing). The caller holds the payment's
	 * lock, so two recordings of one order never interleave.
	 *
	 * @return whether something was booked now
	 */
	boolean refundedUpTo(String orderId, String currency, String pspAuthorizationId, long refundedMinor) {
		long booked = jdbc.sql("""
				select coalesce(sum(e.amount_minor), 0) from payment.ledger_entries e
				join payment.ledger_transactions t on t.id = e.transaction_id
				where e.order_id = :order and t.kind = 'REFUND' and e.account = :revenue""")
			.param("order", orderId)
			.param("revenue", LedgerAccount.REVENUE.id())
			.query(Long.class)
			.single();
		long missing = refundedMinor - booked;
		return missing > 0 && post(orderId, currency, pspAuthorizationId, LedgerTransaction.refund(missing),
				"refunded:" + refundedMinor);
	}

	private boolean post(String orderId, String currency, String pspAuthorizationId, LedgerTransaction transaction,
			String reference) {
		UUID id = Ids.next();
		Timestamp now = Timestamp.from(clock.instant());
		int inserted = jdbc.sql("""
				insert into payment.ledger_transactions (id, order_id, kind, psp_authorization_id, reference, created_at)
				values (:id, :order, :kind, :psp, :reference, :now) on conflict (order_id, kind, reference) do nothing""")
			.param("id", id)
			.param("order", orderId)
			.param("kind", transaction.kind().name())
			.param("psp", pspAuthorizationId)
			.param("reference", reference)
			.param("now", now)
			.update();
		if (inserted == 0) {
			return false;
		}
		// All entries in one statement: the balance trigger sees them together at commit anyway.
		List<LedgerTransaction.Posting> postings = transaction.postings();
		StringBuilder sql = new StringBuilder(
				"insert into payment.ledger_entries (transaction_id, order_id, account, amount_minor, currency, created_at) values ");
		Map<String, Object> parameters = new LinkedHashMap<>();
		parameters.put("transaction", id);
		parameters.put("order", orderId);
		parameters.put("currency", currency);
		parameters.put("now", now);
		for (int i = 0; i < postings.size(); i++) {
			sql.append(i == 0 ? "" : ", ").append("(:transaction, :order, :account").append(i).append(", :amount")
				.append(i).append(", :currency, :now)");
			parameters.put("account" + i, postings.get(i).account().id());
			parameters.put("amount" + i, postings.get(i).amountMinor());
		}
		jdbc.sql(sql.toString()).params(parameters).update();
		return true;
	}

	/** The order's entries in the order they were booked. */
	public List<PaymentView.LedgerEntry> entriesOf(String orderId) {
		return jdbc.sql("""
				select e.transaction_id, t.kind, e.account, e.amount_minor, e.currency, e.created_at
				from payment.ledger_entries e join payment.ledger_transactions t on t.id = e.transaction_id
				where e.order_id = :order order by e.id""")
			.param("order", orderId)
			.query((rs, row) -> new PaymentView.LedgerEntry(rs.getString("transaction_id"), rs.getString("kind"),
					rs.getString("account"), rs.getLong("amount_minor"), rs.getString("currency"),
					rs.getTimestamp("created_at").toInstant()))
			.list();
	}

	/** Per account, the sum of the order's entries; every account is listed. */
	public Map<String, Long> balancesOf(String orderId) {
		Map<String, Long> balances = new LinkedHashMap<>();
		for (LedgerAccount account : LedgerAccount.values()) {
			balances.put(account.id(), 0L);
		}
		jdbc.sql("select account, sum(amount_minor) as balance from payment.ledger_entries where order_id = :order group by account")
			.param("order", orderId)
			.query((rs, row) -> balances.put(rs.getString("account"), rs.getLong("balance")))
			.list();
		return balances;
	}

	/** A transaction whose entries do not sum to zero, or mix currencies. */
	public record Unbalanced(String transactionId, String orderId, long sumMinor, int currencies) {
	}

	/** Every transaction whose entries do not sum to zero or mix currencies: none, unless the books are broken. */
	public List<Unbalanced> unbalancedTransactions() {
		return jdbc.sql("""
				select transaction_id::text as transaction_id, min(order_id) as order_id, sum(amount_minor) as sum_minor,
				       count(distinct currency) as currencies
				from payment.ledger_entries group by transaction_id
				having sum(amount_minor) <> 0 or count(distinct currency) <> 1""")
			.query((rs, row) -> new Unbalanced(rs.getString("transaction_id"), rs.getString("order_id"),
					rs.getLong("sum_minor"), rs.getInt("currencies")))
			.list();
	}
}
