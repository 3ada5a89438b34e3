package io.orderly.payment.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Provider calls waiting for the provider to come back: authorizations
 * ({@code AUTHORIZATION_PENDING} payments, with the card token needed to ask again) and
 * captures of authorized payments; until when, and when next.
 */
@Component
@ConditionalOnModule("payment")
class PendingAuthorizations {

	enum Operation {
		AUTHORIZE, CAPTURE
	}

	record Pending(String orderId, Operation operation, String paymentToken, Instant pendingUntil, Instant nextAttemptAt,
			int attempts) {
	}

	private final JdbcClient jdbc;

	PendingAuthorizations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(String orderId, String paymentToken, Instant pendingUntil, Instant nextAttemptAt, Instant now) {
		jdbc.sql("""
				insert into payment.pending_authorizations (order_id, payment_token, pending_until, next_attempt_at, created_at)
				values (:order, :token, :until, :next, :now)""")
			.param("order", orderId)
			.param("token", paymentToken)
			.param("until", Timestamp.from(pendingUntil))
			.param("next", Timestamp.from(nextAttemptAt))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** The order's authorized payment waits to be captured; nothing happens if it waits already. */
	void insertCapture(String orderId, Instant pendingUntil, Instant nextAttemptAt, Instant now) {
		jdbc.sql("""
				insert into payment.pending_authorizations (order_id, operation, pending_until, next_attempt_at, created_at)
				values (:order, 'CAPTURE', :until, :next, :now) on conflict (order_id) do nothing""")
			.param("order", orderId)
			.param("until", Timestamp.from(pendingUntil))
			.param("next", Timestamp.from(nextAttemptAt))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** Orders whose authorization is due to be asked again, longest due first. */
	List<String> due(Instant now, int limit) {
		return jdbc.sql("""
				select order_id from payment.pending_authorizations where next_attempt_at <= :now
				order by next_attempt_at limit :limit""")
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/** The order's waiting authorization if it is due and nobody else holds it, locked until the transaction ends. */
	Optional<Pending> lockIfDue(String orderId, Instant now) {
		return jdbc.sql("""
				select * from payment.pending_authorizations where order_id = :order and next_attempt_at <= :now
				for update skip locked""")
			.param("order", orderId)
			.param("now", Timestamp.from(now))
			.query((rs, n) -> new Pending(rs.getString("order_id"), Operation.valueOf(rs.getString("operation")),
					rs.getString("payment_token"),
					rs.getTimestamp("pending_until").toInstant(), rs.getTimestamp("next_attempt_at").toInstant(),
					rs.getInt("attempts")))
			.optional();
	}

	void reschedule(String orderId, Instant next, int attempts) {
		jdbc.sql("update payment.pending_authorizations set next_attempt_at = :next, attempts = :attempts where order_id = :order")
			.param("next", Timestamp.from(next))
			.param("attempts", attempts)
			.param("order", orderId)
			.update();
	}

	/** The authorization no longer waits (answered, given up or cancelled); its token is forgotten. */
	void remove(String orderId) {
		jdbc.sql("delete from payment.pending_authorizations where order_id = :order").param("order", orderId).update();
	}

	long count() {
		return jdbc.sql("select count(*) from payment.pending_authorizations").query(Long.class).single();
	}
}
