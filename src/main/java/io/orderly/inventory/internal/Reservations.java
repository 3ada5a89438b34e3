package io.orderly.inventory.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.orderly.inventory.CommitStock;
import io.orderly.inventory.ReleaseLine;
import io.orderly.inventory.ReleaseStock;
import io.orderly.inventory.ReserveStock;
import io.orderly.inventory.StockCommitFailed;
import io.orderly.inventory.StockCommitted;
import io.orderly.inventory.StockReleased;
import io.orderly.inventory.StockReservationFailed;
import io.orderly.inventory.StockReserved;
import io.orderly.inventory.internal.Stock.Change;
import io.orderly.inventory.internal.Stock.Shortage;
import io.orderly.platform.messaging.Outbox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reservations per order: the handlers of the inventory's commands, run in the subscriber's
 * transaction. Every command is answered in the transaction that applied it, and a repeated
 * command is answered the same way without changing stock again. Each command costs a few
 * statements: read the reservation, one stock statement for all its skus, one write of the
 * reservation, the reply.
 */
@Component
class Reservations {

	private final JdbcClient jdbc;

	private final Stock stock;

	private final Outbox outbox;

	private final Clock clock;

	private final InventoryProperties properties;

	private final InventoryMetrics metrics;

	Reservations(JdbcClient jdbc, Stock stock, Outbox outbox, Clock clock, InventoryProperties properties,
			InventoryMetrics metrics) {
		this.jdbc = jdbc;
		this.stock = stock;
		this.outbox = outbox;
		this.clock = clock;
		this.properties = properties;
		this.metrics = metrics;
	}

	/** Holds all lines of the order or none; answers StockReserved or StockReservationFailed. */
	@Transactional(propagation = Propagation.MANDATORY)
	void reserve(ReserveStock command) {
		String orderId = command.orderId();
		Optional<Reservation> existing = find(orderId);
		if (existing.isPresent()) {
			Reservation first = existing.get();
			outbox.publish(orderId, first.state() == ReservationState.FAILED
					? new StockReservationFailed(orderId, first.reason())
					: new StockReserved(orderId, first.expiresAt()));
			return;
		}
		Map<String, Long> wanted = merged(command.lines());
		Instant now = now();
		Shortage shortage = stock.takeAvailable(Change.HOLD, wanted);
		if (shortage != Shortage.NONE) {
			String reason = shortage == Shortage.UNKNOWN_SKU ? StockReservationFailed.UNKNOWN_SKU
					: StockReservationFailed.OUT_OF_STOCK;
			jdbc.sql("""
					insert into inventory.reservations (order_id, state, reason, created_at, updated_at)
					values (:orderId, 'FAILED', :reason, :now, :now)""")
				.param("orderId", orderId)
				.param("reason", reason)
				.param("now", Timestamp.from(now))
				.update();
			outbox.publish(orderId, new StockReservationFailed(orderId, reason));
			metrics.failed(reason);
			return;
		}
		Instant expiresAt = now.plus(properties.reservationTtl());
		jdbc.sql("""
				with reservation as (
				    insert into inventory.reservations (order_id, state, expires_at, created_at, updated_at)
				    values (:orderId, 'RESERVED', :expiresAt, :now, :now)
				    returning order_id)
				insert into inventory.reservation_lines (order_id, sku, quantity)
				select reservation.order_id, line.sku, line.quantity
				from reservation, unnest(cast(:skus as text[]), cast(:quantities as bigint[])) as line(sku, quantity)""")
			.param("orderId", orderId)
			.param("expiresAt", Timestamp.from(expiresAt))
			.param("now", Timestamp.from(now))
			.param("skus", wanted.keySet().toArray(String[]::new))
			.param("quantities", wanted.values().stream().mapToLong(Long::longValue).toArray())
			.update();
		outbox.publish(orderId, new StockReserved(orderId, expiresAt));
		metrics.made();
	}

	/**
	 * Sells the order's reserved units; an expired reservation's units are taken again if
	 * they are still available. Answers StockCommitted or StockCommitFailed.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void commit(CommitStock command) {
		String orderId = command.orderId();
		Object answer = find(orderId).map(this::sell)
			.orElseGet(() -> new StockCommitFailed(orderId, StockCommitFailed.NOT_RESERVED));
		outbox.publish(orderId, answer);
	}

	private Object sell(Reservation reservation) {
		String orderId = reservation.orderId();
		switch (reservation.state()) {
			case COMMITTED -> {
				return new StockCommitted(orderId);
			}
			case RELEASED, FAILED -> {
				return new StockCommitFailed(orderId, StockCommitFailed.NOT_RESERVED);
			}
			case RESERVED -> stock.apply(Change.SELL_HELD, reservation.lines());
			case EXPIRED -> {
				if (stock.takeAvailable(Change.SELL, reservation.lines()) != Shortage.NONE) {
					return new StockCommitFailed(orderId, StockCommitFailed.OUT_OF_STOCK);
				}
			}
		}
		move(reservation, ReservationState.COMMITTED);
		metrics.committed();
		return new StockCommitted(orderId);
	}

	/**
	 * Gives the order's units back: reserved units become available, sold units return to
	 * on-hand. Answers StockReleased, also when there was nothing to give back.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void release(ReleaseStock command) {
		String orderId = command.orderId();
		Reservation reservation = find(orderId).orElse(null);
		if (reservation != null && reservation.state().canMoveTo(ReservationState.RELEASED)) {
			switch (reservation.state()) {
				case RESERVED -> {
					stock.apply(Change.UNHOLD, reservation.lines());
					metrics.released();
				}
				case COMMITTED -> {
					stock.apply(Change.RETURN, reservation.lines());
					metrics.released();
				}
				default -> {
					// An expired reservation's units are back already; releasing it stops a late commit.
				}
			}
			move(reservation, ReservationState.RELEASED);
		}
		outbox.publish(orderId, new StockReleased(orderId));
	}

	/**
	 * One line of the order comes out of its reservation: its units go back (returned on hand
	 * if sold, made available if held), and the reservation keeps the other lines, so a later
	 * release gives back only those. A line not in the reservation (released before) changes nothing.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void releaseLine(ReleaseLine command) {
		Reservation reservation = find(command.orderId()).orElse(null);
		Long quantity = reservation == null ? null : reservation.lines().get(command.sku());
		if (quantity == null) {
			return;
		}
		switch (reservation.state()) {
			case RESERVED -> stock.apply(Change.UNHOLD, Map.of(command.sku(), quantity));
			case COMMITTED -> stock.apply(Change.RETURN, Map.of(command.sku(), quantity));
			default -> {
				// Released or expired: the units are back already.
			}
		}
		jdbc.sql("delete from inventory.reservation_lines where order_id = :orderId and sku = :sku")
			.param("orderId", command.orderId())
			.param("sku", command.sku())
			.update();
	}

	/**
	 * Returns the order's reservation to stock if it is still held and due, and tells the
	 * order with StockReleased; otherwise (committed, released, expired already) does nothing.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void expire(ExpireReservation command) {
		String orderId = command.orderId();
		Reservation reservation = find(orderId).orElse(null);
		if (reservation == null || reservation.state() != ReservationState.RESERVED
				|| reservation.expiresAt().isAfter(clock.instant())) {
			return;
		}
		stock.apply(Change.UNHOLD, reservation.lines());
		move(reservation, ReservationState.EXPIRED);
		outbox.publish(orderId, new StockReleased(orderId));
		metrics.expired();
	}

	/** The order's reservation with its lines, locked until the transaction ends. */
	private Optional<Reservation> find(String orderId) {
		record Row(ReservationState state, String reason, Instant expiresAt, String sku, long quantity) {
		}
		List<Row> rows = jdbc.sql("""
				select r.state, r.reason, r.expires_at, l.sku, l.quantity
				from inventory.reservations r
				left join inventory.reservation_lines l on l.order_id = r.order_id
				where r.order_id = :orderId
				for update of r""")
			.param("orderId", orderId)
			.query((rs, n) -> {
				Timestamp expiresAt = rs.getTimestamp("expires_at");
				return new Row(ReservationState.valueOf(rs.getString("state")), rs.getString("reason"),
						expiresAt == null ? null : expiresAt.toInstant(), rs.getString("sku"), rs.getLong("quantity"));
			})
			.list();
		if (rows.isEmpty()) {
			return Optional.empty();
		}
		SortedMap<String, Long> lines = new TreeMap<>();
		rows.stream().filter(row -> row.sku() != null).forEach(row -> lines.put(row.sku(), row.quantity()));
		Row header = rows.getFirst();
		return Optional.of(new Reservation(orderId, header.state(), header.reason(), header.expiresAt(), lines));
	}

	private void move(Reservation reservation, ReservationState to) {
		ReservationState from = reservation.state();
		int moved = jdbc.sql("""
				update inventory.reservations set state = :to, updated_at = :now
				where order_id = :orderId and state = :from""")
			.param("to", from.moveTo(to).name())
			.param("now", Timestamp.from(now()))
			.param("orderId", reservation.orderId())
			.param("from", from.name())
			.update();
		if (moved != 1) {
			throw new IllegalStateException("The reservation of order " + reservation.orderId() + " is no longer " + from);
		}
	}

	/** The lines' units per sku, sorted by sku; lines of the same sku count together. */
	static Map<String, Long> merged(List<ReserveStock.Line> lines) {
		Map<String, Long> units = new TreeMap<>();
		lines.forEach(line -> units.merge(line.sku(), (long) line.quantity(), Long::sum));
		return units;
	}

	/** Now, to the microsecond the database keeps, so a repeated answer equals the first. */
	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}
}
