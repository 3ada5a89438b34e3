package io.orderly.order.internal;

import io.orderly.platform.ConditionalOnModule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.orderly.order.OrderCancellationRejected;
import io.orderly.order.OrderCancelled;
import io.orderly.order.OrderConfirmed;
import io.orderly.order.OrderLine;
import io.orderly.order.OrderStatus;
import io.orderly.platform.messaging.MessageCodec;
import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.saga.SagaProgress;
import io.orderly.shipping.ShippingAddress;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The orders table, and the status changes that publish the order's events. */
@Component
@ConditionalOnModule("order")
public class Orders {

	private final JdbcClient jdbc;

	private final MessageCodec codec;

	private final Outbox outbox;

	private final Clock clock;

	private final SagaProgress progress;

	Orders(JdbcClient jdbc, MessageCodec codec, Outbox outbox, Clock clock, SagaProgress progress) {
		this.progress = progress;
		this.jdbc = jdbc;
		this.codec = codec;
		this.outbox = outbox;
		this.clock = clock;
	}

	/** An order row. */
	public record Row(String id, String customerId, OrderStatus status, List<OrderLine> lines, long totalMinor,
			String currency, ShippingAddress address, String cancellationReason, String cancellationRejectedReason,
			Instant dispatchedAt, Instant deliveredAt, long refundedMinor, Instant createdAt, Instant updatedAt) {
	}

	void insert(Row order) {
		jdbc.sql("""
				insert into orders.orders (id, customer_id, status, lines, total_minor, currency, shipping_address,
				    created_at, updated_at)
				values (:id, :customer, :status, cast(:lines as jsonb), :total, :currency, cast(:address as jsonb),
				    :created, :created)""")
			.param("id", order.id())
			.param("customer", order.customerId())
			.param("status", order.status().name())
			.param("lines", codec.write(order.lines()))
			.param("total", order.totalMinor())
			.param("currency", order.currency())
			.param("address", codec.write(order.address()))
			.param("created", Timestamp.from(order.createdAt()))
			.update();
	}

	public Optional<Row> find(String id) {
		return jdbc.sql("select * from orders.orders where id = :id").param("id", id).query(this::row).optional();
	}

	Optional<Row> lock(String id) {
		return jdbc.sql("select * from orders.orders where id = :id for update").param("id", id).query(this::row).optional();
	}

	/**
	 * One page, newest first: orders older than {@code after}, or newer than {@code before}
	 * (then returned newest first too), {@code limit + 1} rows to tell whether more follow.
	 */
	public List<Row> page(String customerId, String after, String before, int limit) {
		boolean backward = before != null;
		String sql = "select * from orders.orders where (cast(:customer as text) is null or customer_id = :customer)"
				+ (after != null ? " and id < :after" : "") + (backward ? " and id > :before" : "")
				+ (backward ? " order by id asc" : " order by id desc") + " limit :limit";
		var query = jdbc.sql(sql).param("customer", customerId).param("limit", limit + 1);
		if (after != null) {
			query = query.param("after", after);
		}
		if (backward) {
			query = query.param("before", before);
		}
		return query.query(this::row).list();
	}

	/** The saga completed: the order is confirmed and says so. */
	@Transactional(propagation = Propagation.MANDATORY)
	void confirm(String id) {
		Row order = lock(id).orElseThrow();
		setStatus(order, order.status().transitionTo(OrderStatus.CONFIRMED), null);
		outbox.publish(id, new OrderConfirmed(id, order.customerId(), order.totalMinor(), order.currency()));
	}

	/** The saga compensated: the order is cancelled with the reason the customer reads. */
	@Transactional(propagation = Propagation.MANDATORY)
	void cancel(String id, String reason) {
		Row order = lock(id).orElseThrow();
		setStatus(order, order.status().transitionTo(OrderStatus.CANCELLED), reason);
		outbox.publish(id, new OrderCancelled(id, order.customerId(), reason));
	}

	/**
	 * A cancellation was refused (the order passed its point of no return first): the order stays
	 * as it was, says why, and the customer is told.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void cancellationRejected(String id, String reason) {
		Row order = lock(id).orElseThrow();
		jdbc.sql("update orders.orders set cancellation_rejected_reason = :reason, updated_at = :now where id = :id")
			.param("reason", reason)
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.update();
		outbox.publish(id, new OrderCancellationRejected(id, order.customerId(), reason));
	}

	/** The order's payment waits for the provider until {@code until}. */
	void paymentPending(String id, Instant until) {
		jdbc.sql("update orders.orders set payment_pending_until = :until where id = :id")
			.param("until", Timestamp.from(until))
			.param("id", id)
			.update();
		// No saga step records this: the order's followers are told themselves.
		progress.moved(id);
	}

	/** Until when the order's payment waits for the provider, if it was told to. */
	public Optional<Instant> paymentPendingUntil(String id) {
		return jdbc.sql("select payment_pending_until from orders.orders where id = :id and payment_pending_until is not null")
			.param("id", id)
			.query((rs, n) -> rs.getTimestamp(1).toInstant())
			.optional();
	}

	/** The order's lines, changed before its parcel left. */
	void changeLines(String id, List<OrderLine> lines) {
		jdbc.sql("update orders.orders set lines = cast(:lines as jsonb), updated_at = :now where id = :id")
			.param("lines", codec.write(lines))
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.update();
	}

	/** The order's shipping address, changed before its parcel left. */
	void changeAddress(String id, ShippingAddress address) {
		jdbc.sql("update orders.orders set shipping_address = cast(:address as jsonb), updated_at = :now where id = :id")
			.param("address", codec.write(address))
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.update();
	}

	/** The order's shipment arrived at {@code at}; false if that was known already. */
	boolean delivered(String id, Instant at) {
		return jdbc.sql("update orders.orders set delivered_at = :at, updated_at = :now where id = :id and delivered_at is null")
			.param("at", Timestamp.from(at))
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.update() > 0;
	}

	/** The order's shipment left at {@code at}; false if that was known already. */
	boolean dispatched(String id, Instant at) {
		return jdbc.sql("update orders.orders set dispatched_at = :at, updated_at = :at where id = :id and dispatched_at is null")
			.param("at", Timestamp.from(at))
			.param("id", id)
			.update() > 0;
	}

	private void setStatus(Row order, OrderStatus status, String reason) {
		jdbc.sql("""
				update orders.orders set status = :status, cancellation_reason = :reason,
				    cancellation_rejected_reason = case when :status = 'CANCELLED' then null else cancellation_rejected_reason end,
				    updated_at = :now
				where id = :id""")
			.param("status", status.name())
			.param("reason", reason)
			.param("now", Timestamp.from(clock.instant()))
			.param("id", order.id())
			.update();
	}

	private Row row(ResultSet rs, int n) throws SQLException {
		Timestamp dispatched = rs.getTimestamp("dispatched_at");
		Timestamp delivered = rs.getTimestamp("delivered_at");
		return new Row(rs.getString("id"), rs.getString("customer_id"), OrderStatus.valueOf(rs.getString("status")),
				List.of(codec.read(rs.getString("lines"), OrderLine[].class)), rs.getLong("total_minor"),
				rs.getString("currency"), codec.read(rs.getString("shipping_address"), ShippingAddress.class),
				rs.getString("cancellation_reason"), rs.getString("cancellation_rejected_reason"),
				dispatched == null ? null : dispatched.toInstant(), delivered == null ? null : delivered.toInstant(),
				rs.getLong("refunded_minor"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}
}
