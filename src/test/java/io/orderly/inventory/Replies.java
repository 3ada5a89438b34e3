package io.orderly.inventory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.messaging.Subscription;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plays the saga's part: sends inventory commands through the outbox and records every reply
 * the inventory publishes, as a row written in the subscriber's transaction (so a reply
 * counts once however often it is delivered).
 */
final class Replies {

	static final String SUBSCRIPTION = "test.inventory-replies";

	private final JdbcClient jdbc;

	private final Outbox outbox;

	private final TransactionTemplate transactions;

	Replies(JdbcClient jdbc, Outbox outbox, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.transactions = transactions;
		jdbc.sql("""
				create table if not exists public.inventory_replies (
				    id          bigint generated always as identity primary key,
				    message_id  uuid not null,
				    order_id    text not null,
				    type        text not null,
				    reason      text,
				    expires_at  timestamptz)""").update();
	}

	/** One reply: its type's simple name, and the reason or expiry it carries. */
	record Reply(String orderId, String type, String reason, Instant expiresAt) {
	}

	Subscription subscription() {
		return Subscription.named(SUBSCRIPTION)
			.on(StockReserved.class, (reply, message) -> record(message, reply.orderId(), "StockReserved", null, reply.expiresAt()))
			.on(StockReservationFailed.class, (reply, message) -> record(message, reply.orderId(), "StockReservationFailed", reply.reason(), null))
			.on(StockCommitted.class, (reply, message) -> record(message, reply.orderId(), "StockCommitted", null, null))
			.on(StockCommitFailed.class, (reply, message) -> record(message, reply.orderId(), "StockCommitFailed", reply.reason(), null))
			.on(StockReleased.class, (reply, message) -> record(message, reply.orderId(), "StockReleased", null, null))
			.build();
	}

	/** Publishes {@code command} for {@code orderId} in a transaction of its own, as the saga does. */
	void send(String orderId, Object command) {
		transactions.executeWithoutResult(status -> outbox.publish(orderId, command));
	}

	/** The replies to {@code orderId}, in the order they were applied. */
	List<Reply> to(String orderId) {
		return jdbc.sql("select order_id, type, reason, expires_at from public.inventory_replies where order_id = :id order by id")
			.param("id", orderId)
			.query(Replies::reply)
			.list();
	}

	/** The replies to orders whose id starts with {@code prefix}, in the order they were applied. */
	List<Reply> toOrdersStartingWith(String prefix) {
		return jdbc.sql("""
				select order_id, type, reason, expires_at from public.inventory_replies
				where starts_with(order_id, :prefix) order by id""")
			.param("prefix", prefix)
			.query(Replies::reply)
			.list();
	}

	/** How many replies went to orders whose id starts with {@code prefix}. */
	long countToOrdersStartingWith(String prefix) {
		return jdbc.sql("select count(*) from public.inventory_replies where starts_with(order_id, :prefix)")
			.param("prefix", prefix)
			.query(Long.class)
			.single();
	}

	private static Reply reply(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		Timestamp expiresAt = rs.getTimestamp("expires_at");
		return new Reply(rs.getString("order_id"), rs.getString("type"), rs.getString("reason"),
				expiresAt == null ? null : expiresAt.toInstant());
	}

	private void record(Message message, String orderId, String type, String reason, Instant expiresAt) {
		jdbc.sql("""
				insert into public.inventory_replies (message_id, order_id, type, reason, expires_at)
				values (:messageId, :orderId, :type, :reason, :expiresAt)""")
			.param("messageId", message.id())
			.param("orderId", orderId)
			.param("type", type)
			.param("reason", reason)
			.param("expiresAt", expiresAt == null ? null : Timestamp.from(expiresAt))
			.update();
	}
}
