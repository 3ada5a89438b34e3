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

/** The {@code payment.provider_calls} table: the provider calls decided and not yet answered, one per order. */
@Component
@ConditionalOnModule("payment")
class ProviderCallStore {

	enum Operation {
		AUTHORIZE, CAPTURE, REVERSE
	}

	/**
	 * A call to make: {@code nextAttemptAt} is when it is due, and the lease of the attempt in
	 * flight; {@code attempt} that attempt's id (only the attempt holding the call records an
	 * answer); {@code commands} how many commands its answer answers; {@code failures} attempts
	 * that ended in an error of ours; {@code pendingTold} whether the saga was told the
	 * authorization waits.
	 */
	record ProviderCall(String orderId, Operation operation, String paymentToken, Instant pendingUntil,
			Instant nextAttemptAt, int attempts, int commands, UUID attempt, int failures, boolean pendingTold) {

		/** The same call, taken by a new attempt (number {@code attempts + 1}) whose lease ends at {@code lease}. */
		ProviderCall nextAttempt(UUID id, Instant lease) {
			return new ProviderCall(orderId, operation, paymentToken, pendingUntil, lease, attempts + 1, commands, id,
					failures, pendingTold);
		}

		/** The same call, whose longest wait ends at {@code until}. */
		ProviderCall endingAt(Instant until) {
			return new ProviderCall(orderId, operation, paymentToken, until, nextAttemptAt, attempts, commands, attempt,
					failures, pendingTold);
		}
	}

	private final JdbcClient jdbc;

	ProviderCallStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Writes the order's call; it takes the place of a call the order had (a cancel overrides a capture). */
	void put(ProviderCall call, Instant now) {
		jdbc.sql("""
				insert into payment.provider_calls (order_id, operation, payment_token, pending_until, next_attempt_at,
				    attempts, commands, attempt_id, created_at)
				values (:order, :operation, :token, :until, :next, :attempts, :commands, :attempt, :now)
				on conflict (order_id) do update set operation = excluded.operation, payment_token = excluded.payment_token,
				    pending_until = excluded.pending_until, next_attempt_at = excluded.next_attempt_at,
				    attempts = excluded.attempts, commands = excluded.commands, attempt_id = excluded.attempt_id,
				    failures = 0, pending_told = false, created_at = excluded.created_at""")
			.param("order", call.orderId())
			.param("operation", call.operation().name())
			.param("token", call.paymentToken())
			.param("until", Timestamp.from(call.pendingUntil()))
			.param("next", Timestamp.from(call.nextAttemptAt()))
			.param("attempts", call.attempts())
			.param("commands", call.commands())
			.param("attempt", call.attempt())
			.param("now", Timestamp.from(now))
			.update();
	}

	/** One more command waits for the order's call of this operation; false if there is no such call. */
	boolean join(String orderId, Operation operation) {
		return jdbc.sql("""
				update payment.provider_calls set commands = commands + 1 where order_id = :order and operation = :operation""")
			.param("order", orderId)
			.param("operation", operation.name())
			.update() == 1;
	}

	/** Orders whose call is due, longest due first. */
	List<String> due(Instant now, int limit) {
		return jdbc.sql("""
				select order_id from payment.provider_calls where next_attempt_at <= :now
				order by next_attempt_at limit :limit""")
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/** The order's call if it is due and nobody else holds it, locked until the transaction ends. */
	Optional<ProviderCall> lockIfDue(String orderId, Instant now) {
		return jdbc.sql("""
				select * from payment.provider_calls where order_id = :order and next_attempt_at <= :now
				for update skip locked""")
			.param("order", orderId)
			.param("now", Timestamp.from(now))
			.query(ProviderCallStore::call)
			.optional();
	}

	/** The order's call, locked until the transaction ends (lock the payment first). */
	Optional<ProviderCall> lock(String orderId) {
		return jdbc.sql("select * from payment.provider_calls where order_id = :order for update")
			.param("order", orderId)
			.query(ProviderCallStore::call)
			.optional();
	}

	/** The call is taken by a new attempt: its id, number and lease ({@code nextAttemptAt}). */
	void take(ProviderCall attempt) {
		jdbc.sql("""
				update payment.provider_calls set attempt_id = :attempt, attempts = :attempts, next_attempt_at = :lease
				where order_id = :order""")
			.param("attempt", attempt.attempt())
			.param("attempts", attempt.attempts())
			.param("lease", Timestamp.from(attempt.nextAttemptAt()))
			.param("order", attempt.orderId())
			.update();
	}

	/**
	 * The attempt's lease starts again at {@code lease} (it waited for its turn to call); false if
	 * the attempt no longer holds the call (answered, cancelled, or overtaken meanwhile).
	 */
	boolean renew(ProviderCall attempt, Instant lease) {
		return jdbc.sql("""
				update payment.provider_calls set next_attempt_at = :lease where order_id = :order and attempt_id = :attempt""")
			.param("lease", Timestamp.from(lease))
			.param("order", attempt.orderId())
			.param("attempt", attempt.attempt())
			.update() == 1;
	}

	/** The next attempt at {@code next}; {@code told}: the saga has now been told the authorization waits. */
	void schedule(String orderId, Instant next, boolean told) {
		jdbc.sql("""
				update payment.provider_calls set next_attempt_at = :next, pending_told = pending_told or :told
				where order_id = :order""")
			.param("next", Timestamp.from(next))
			.param("told", told)
			.param("order", orderId)
			.update();
	}

	/** The attempt ended in an error of ours: one more failure, and the next attempt at {@code next}. */
	void failed(String orderId, Instant next) {
		jdbc.sql("update payment.provider_calls set failures = failures + 1, next_attempt_at = :next where order_id = :order")
			.param("next", Timestamp.from(next))
			.param("order", orderId)
			.update();
	}

	/** The call is answered, given up or overtaken; its token is forgotten. */
	void remove(String orderId) {
		jdbc.sql("delete from payment.provider_calls where order_id = :order").param("order", orderId).update();
	}

	boolean exists(String orderId) {
		return jdbc.sql("select exists (select 1 from payment.provider_calls where order_id = :order)")
			.param("order", orderId)
			.query(Boolean.class)
			.single();
	}

	long count() {
		return jdbc.sql("select count(*) from payment.provider_calls").query(Long.class).single();
	}

	private static ProviderCall call(ResultSet rs, int row) throws SQLException {
		return new ProviderCall(rs.getString("order_id"), Operation.valueOf(rs.getString("operation")),
				rs.getString("payment_token"), rs.getTimestamp("pending_until").toInstant(),
				rs.getTimestamp("next_attempt_at").toInstant(), rs.getInt("attempts"), rs.getInt("commands"),
				rs.getObject("attempt_id", UUID.class), rs.getInt("failures"), rs.getBoolean("pending_told"));
	}
}
