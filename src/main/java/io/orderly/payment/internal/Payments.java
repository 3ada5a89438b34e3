package io.orderly.payment.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orderly.payment.PaymentStatus;
import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The payments table: one payment per order. */
@Component
@ConditionalOnModule("payment")
public class Payments {

	private final JdbcClient jdbc;

	Payments(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Payment> find(String orderId) {
		return jdbc.sql("select * from payment.payments where order_id = :order")
			.param("order", orderId)
			.query(Payments::payment)
			.optional();
	}

	/** The order's payment, locked until the transaction ends. */
	Optional<Payment> lock(String orderId) {
		return jdbc.sql("select * from payment.payments where order_id = :order for update")
			.param("order", orderId)
			.query(Payments::payment)
			.optional();
	}

	/** The order's payment if it is due for a look at the provider and nobody else holds it. */
	Optional<Payment> lockIfDue(String orderId, Instant now) {
		return jdbc.sql("""
				select * from payment.payments p where order_id = :order and next_check_at <= :now
				    and not exists (select 1 from payment.provider_calls c where c.order_id = p.order_id)
				for update skip locked""")
			.param("order", orderId)
			.param("now", Timestamp.from(now))
			.query(Payments::payment)
			.optional();
	}

	/** Orders whose payment is due for a look at the provider and has no provider call under way, longest due first. */
	List<String> dueForCheck(Instant now, int limit) {
		return jdbc.sql("""
				select order_id from payment.payments p where next_check_at <= :now
				    and not exists (select 1 from payment.provider_calls c where c.order_id = p.order_id)
				order by next_check_at limit :limit""")
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/**
	 * Orders whose payment changed since {@code since} and is settled (not waiting for the
	 * provider, not watched), oldest change first: what reconciliation compares.
	 */
	List<String> settledSince(Instant since) {
		return jdbc.sql("""
				select order_id from payment.payments
				where updated_at >= :since and next_check_at is null and status <> 'AUTHORIZATION_PENDING'
				order by updated_at""")
			.param("since", Timestamp.from(since))
			.query(String.class)
			.list();
	}

	void insert(Payment payment) {
		jdbc.sql("""
				insert into payment.payments (order_id, payment_id, customer_id, psp_authorization_id, status,
				    amount_minor, currency, captured_minor, refunded_minor, decline_reason, watch_until, next_check_at,
				    check_attempts, created_at, updated_at)
				values (:order, :payment, :customer, :psp, :status, :amount, :currency, :captured, :refunded, :reason,
				    :watchUntil, :nextCheck, :attempts, :created, :updated)""")
			.paramSource(parameters(payment))
			.update();
	}

	void update(Payment payment) {
		int updated = jdbc.sql("""
				update payment.payments set psp_authorization_id = :psp, status = :status, amount_minor = :amount,
				    currency = :currency, captured_minor = :captured, refunded_minor = :refunded,
				    decline_reason = :reason, watch_until = :watchUntil, next_check_at = :nextCheck,
				    check_attempts = :attempts, updated_at = :updated
				where order_id = :order and payment_id = :payment""")
			.paramSource(parameters(payment))
			.update();
		if (updated != 1) {
			throw new IllegalStateException("No payment " + payment.paymentId() + " for order " + payment.orderId());
		}
	}

	private static Map<String, Object> parameters(Payment p) {
		Map<String, Object> parameters = new HashMap<>();
		parameters.put("order", p.orderId());
		parameters.put("payment", p.paymentId());
		parameters.put("customer", p.customerId());
		parameters.put("psp", p.pspAuthorizationId());
		parameters.put("status", p.status().name());
		parameters.put("amount", p.amountMinor());
		parameters.put("currency", p.currency());
		parameters.put("captured", p.capturedMinor());
		parameters.put("refunded", p.refundedMinor());
		parameters.put("reason", p.declineReason());
		parameters.put("watchUntil", timestamp(p.watchUntil()));
		parameters.put("nextCheck", timestamp(p.nextCheckAt()));
		parameters.put("attempts", p.checkAttempts());
		parameters.put("created", timestamp(p.createdAt()));
		parameters.put("updated", timestamp(p.updatedAt()));
		return parameters;
	}

	private static Timestamp timestamp(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	private static Payment payment(ResultSet rs, int row) throws SQLException {
		long amount = rs.getLong("amount_minor");
		Long amountMinor = rs.wasNull() ? null : amount;
		return new Payment(rs.getString("order_id"), rs.getString("payment_id"), rs.getString("customer_id"),
				rs.getString("psp_authorization_id"), PaymentStatus.valueOf(rs.getString("status")),
				amountMinor, rs.getString("currency"), rs.getLong("captured_minor"),
				rs.getLong("refunded_minor"), rs.getString("decline_reason"), instant(rs, "watch_until"),
				instant(rs, "next_check_at"), rs.getInt("check_attempts"), instant(rs, "created_at"),
				instant(rs, "updated_at"));
	}
}
