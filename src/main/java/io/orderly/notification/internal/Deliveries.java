package io.orderly.notification.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The deliveries table: at most one delivery per order, template and channel. */
@Component
@ConditionalOnModule("notification")
class Deliveries {

	private final JdbcClient jdbc;

	Deliveries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records a delivery as sent, unless the order has one for this template and channel.
	 *
	 * @return whether it was recorded (false: the notification went out before)
	 */
	boolean recordSent(UUID id, String orderId, String customerId, String channel, String template, String subject,
			String body, Instant now) {
		return jdbc.sql("""
				insert into notification.deliveries
				    (id, order_id, customer_id, channel, template, subject, body, status, created_at)
				values (:id, :orderId, :customerId, :channel, :template, :subject, :body, 'SENT', :now)
				on conflict (order_id, template, channel) do nothing""")
			.param("id", id)
			.param("orderId", orderId)
			.param("customerId", customerId)
			.param("channel", channel)
			.param("template", template)
			.param("subject", subject)
			.param("body", body)
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	void markFailed(UUID id, String reason) {
		jdbc.sql("update notification.deliveries set status = 'FAILED', failure_reason = :reason where id = :id")
			.param("id", id)
			.param("reason", reason)
			.update();
	}

	/** The order's deliveries, oldest first. */
	List<Delivery> ofOrder(String orderId) {
		return jdbc.sql("""
				select id, order_id, customer_id, channel, template, subject, body, status, failure_reason, created_at
				from notification.deliveries where order_id = :orderId order by created_at, id""")
			.param("orderId", orderId)
			.query(Deliveries::delivery)
			.list();
	}

	private static Delivery delivery(ResultSet rs, int row) throws SQLException {
		return new Delivery(rs.getString("id"), rs.getString("order_id"), rs.getString("customer_id"),
				rs.getString("channel"), rs.getString("template"), rs.getString("subject"), rs.getString("body"),
				rs.getString("status"), rs.getString("failure_reason"), rs.getTimestamp("created_at").toInstant());
	}
}
