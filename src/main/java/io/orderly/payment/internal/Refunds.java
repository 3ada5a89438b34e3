package io.orderly.payment.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code payment.refunds} table: every named refund of an order, and the calls still to make for them. */
@Component
@ConditionalOnModule("payment")
class Refunds {

	/** UNANSWERED: no answer within the retry limit; not asked again, an operator looks it up at the provider. */
	enum Status {
		PENDING, SUCCEEDED, REFUSED, UNANSWERED
	}

	/**
	 * A refund. While {@code PENDING}: {@code attempt} is the attempt that holds its call (only it
	 * records an answer), {@code nextAttemptAt} when the call is due again (the lease of the
	 * attempt in flight), {@code failures} the attempts that ended in an error of ours.
	 */
	record Refund(String id, String orderId, long amountMinor, String currency, String reason, Status status,
			String refusedReason, UUID attempt, int attempts, int failures, int commands, Instant nextAttemptAt,
			Instant createdAt, Instant updatedAt) {
	}

	private final JdbcClient jdbc;

	Refunds(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Refund refund) {
		jdbc.sql("""
				insert into payment.refunds (id, order_id, amount_minor, currency, reason, status, refused_reason, attempt_id,
				    attempts, next_attempt_at, created_at, updated_at)
				values (:id, :order, :amount, :currency, :reason, :status, :refused, :attempt, :attempts, :next, :now,
				    :now)""")
			.param("id", refund.id())
			.param("order", refund.orderId())
			.param("amount", refund.amountMinor())
			.param("currency", refund.currency())
			.param("reason", refund.reason())
			.param("status", refund.status().name())
			.param("refused", refund.refusedReason())
			.param("attempt", refund.attempt())
			.param("attempts", refund.attempts())
			.param("next", refund.nextAttemptAt() == null ? null : Timestamp.from(refund.nextAttemptAt()))
			.param("now", Timestamp.from(refund.createdAt()))
			.update();
	}

	Optional<Refund> find(String id) {
		return jdbc.sql("select * from payment.refunds where id = :id").param("id", id).query(Refunds::refund).optional();
	}

	/** The refund, locked until the transaction ends, if {@code attempt} still holds its call. */
	Optional<Refund> lockHeld(String id, UUID attempt) {
		return jdbc.sql("select * from payment.refunds where id = :id and status = 'PENDING' and attempt_id = :attempt for update")
			.param("id", id)
			.param("attempt", attempt)
			.query(Refunds::refund)
			.optional();
	}

	/** The order's refunds, oldest first. */
	List<Refund> ofOrder(String orderId) {
		return jdbc.sql("select * from payment.refunds where order_id = :order order by created_at, id")
			.param("order", orderId)
			.query(Refunds::refund)
			.list();
	}

	/** What the order's refunds still waiting for the provider ask for, in all. */
	long pendingMinor(String orderId) {
		return jdbc.sql("select coalesce(sum(amount_minor), 0) from payment.refunds where order_id = :order and status = 'PENDING'")
			.param("order", orderId)
			.query(Long.class)
			.single();
	}

	boolean anyPending(String orderId) {
		return jdbc.sql("select exists (select 1 from payment.refunds where order_id = :order and status = 'PENDING')")
			.param("order", orderId)
			.query(Boolean.class)
			.single();
	}

	/** Refunds whose call is due (waiting, or its attempt's lease passed), longest due first. */
	List<String> due(Instant now, int limit) {
		return jdbc.sql("""
				select id from payment.refunds where status = 'PENDING' and next_attempt_at <= :now
				order by next_attempt_at limit :limit""")
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/** A due refund, locked, unless another instance is taking it. */
	Optional<Refund> lockIfDue(String id, Instant now) {
		return jdbc.sql("""
				select * from payment.refunds where id = :id and status = 'PENDING' and next_attempt_at <= :now
				for update skip locked""")
			.param("id", id)
			.param("now", Timestamp.from(now))
			.query(Refunds::refund)
			.optional();
	}

	/** A command repeated while the refund waits: answered with the others when the provider answers. */
	void join(String id) {
		jdbc.sql("update payment.refunds set commands = commands + 1 where id = :id").param("id", id).update();
	}

	/** A new attempt takes the refund's call; its lease ends at {@code lease}. */
	void take(String id, UUID attempt, Instant lease, Instant now) {
		jdbc.sql("""
				update payment.refunds set attempt_id = :attempt, attempts = attempts + 1, next_attempt_at = :lease,
				    updated_at = :now where id = :id""")
			.param("attempt", attempt)
			.param("lease", Timestamp.from(lease))
			.param("now", Timestamp.from(now))
			.param("id", id)
			.update();
	}

	/** No answer: the call is made again at {@code next}; {@code failed} if the attempt ended in an error of ours. */
	void later(String id, Instant next, boolean failed, Instant now) {
		jdbc.sql("""
				update payment.refunds set next_attempt_at = :next, failures = failures + :failed, updated_at = :now
				where id = :id""")
			.param("next", Timestamp.from(next))
			.param("failed", failed ? 1 : 0)
			.param("now", Timestamp.from(now))
			.param("id", id)
			.update();
	}

	/** The refund is decided: done by the provider, or refused for {@code refusedReason}. */
	void end(String id, Status status, String refusedReason, Instant now) {
		jdbc.sql("""
				update payment.refunds set status = :status, refused_reason = :reason, attempt_id = null,
				    next_attempt_at = null, updated_at = :now where id = :id""")
			.param("status", status.name())
			.param("reason", refusedReason)
			.param("now", Timestamp.from(now))
			.param("id", id)
			.update();
	}

	long countPending() {
		return jdbc.sql("select count(*) from payment.refunds where status = 'PENDING'").query(Long.class).single();
	}

	long countUnanswered() {
		return jdbc.sql("select count(*) from payment.refunds where status = 'UNANSWERED'").query(Long.class).single();
	}

	private static Refund refund(ResultSet rs, int row) throws SQLException {
		Timestamp next = rs.getTimestamp("next_attempt_at");
		return new Refund(rs.getString("id"), rs.getString("order_id"), rs.getLong("amount_minor"),
				rs.getString("currency"), rs.getString("reason"), Status.valueOf(rs.getString("status")),
				rs.getString("refused_reason"), rs.getObject("attempt_id", UUID.class), rs.getInt("attempts"),
				rs.getInt("failures"), rs.getInt("commands"), next == null ? null : next.toInstant(), rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}
}
