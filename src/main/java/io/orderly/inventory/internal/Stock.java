package io.orderly.inventory.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.orderly.platform.web.ProblemException;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stock levels per sku and every change to them. Each change is one SQL statement for all
 * the skus it touches; {@code on_hand >= reserved >= 0} is also a constraint of the table,
 * so no code path can oversell even by mistake.
 *
 * <p>Only the inventory's subscriber (one transaction at a time) changes several stock rows
 * in one transaction; adjustments change one row and wait for nothing while holding it. So
 * no two transactions can wait for each other's stock rows: no deadlocks, in whatever order
 * a statement happens to lock its rows.
 */
@Component
public class Stock {

	/** The changes reservations make, each as the assignment it applies per sku. */
	enum Change {

		/** Units become reserved for an order. */
		HOLD("reserved = s.reserved + w.quantity"),
		/** Reserved units become available again. */
		UNHOLD("reserved = s.reserved - w.quantity"),
		/** Reserved units are sold. */
		SELL_HELD("on_hand = s.on_hand - w.quantity, reserved = s.reserved - w.quantity"),
		/** Available units are sold at once (an expired reservation taken again on commit). */
		SELL("on_hand = s.on_hand - w.quantity"),
		/** Sold units come back (a cancelled sale). */
		RETURN("on_hand = s.on_hand + w.quantity");

		private final String assignments;

		Change(String assignments) {
			this.assignments = assignments;
		}

		/** The change that undoes this one. */
		Change inverse() {
			return switch (this) {
				case HOLD -> UNHOLD;
				case UNHOLD -> HOLD;
				case SELL -> RETURN;
				case RETURN -> SELL;
				case SELL_HELD -> throw new UnsupportedOperationException("SELL_HELD has no inverse");
			};
		}
	}

	/** Why units could not be taken: some sku has too few available, or does not exist. */
	enum Shortage {

		NONE, OUT_OF_STOCK, UNKNOWN_SKU
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	Stock(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	public Optional<StockLevels> levels(String sku) {
		return jdbc.sql("select sku, on_hand, reserved from inventory.stock where sku = :sku")
			.param("sku", sku)
			.query((rs, row) -> StockLevels.of(rs.getString("sku"), rs.getLong("on_hand"), rs.getLong("reserved")))
			.optional();
	}

	/**
	 * Adds {@code delta} (negative to remove) to the units on hand, in one conditional
	 * statement, so concurrent adjustments never lose an update. Units reserved for orders
	 * cannot be adjusted away: a delta that would leave fewer units on hand than reserved is
	 * refused with 409, and so, a fortiori, one that would make on-hand negative.
	 */
	@Transactional
	public StockLevels adjust(String sku, long delta, String reason) {
		Timestamp now = Timestamp.from(clock.instant());
		Optional<StockLevels> adjusted = jdbc.sql("""
				with adjusted as (
				    update inventory.stock set on_hand = on_hand + :delta, updated_at = :now
				    where sku = :sku and on_hand + :delta >= reserved
				    returning sku, on_hand, reserved)
				insert into inventory.stock_adjustments (sku, delta, reason, on_hand_after, reserved_after, created_at)
				select sku, :delta, :reason, on_hand, reserved, :now from adjusted
				returning sku, on_hand_after, reserved_after""")
			.param("sku", sku)
			.param("delta", delta)
			.param("reason", reason)
			.param("now", now)
			.query((rs, row) -> StockLevels.of(rs.getString("sku"), rs.getLong("on_hand_after"),
					rs.getLong("reserved_after")))
			.optional();
		if (adjusted.isPresent()) {
			return adjusted.get();
		}
		StockLevels current = levels(sku).orElseThrow(() -> unknownSku(sku));
		throw new ProblemException(HttpStatus.CONFLICT, "insufficient-stock", "Insufficient stock",
				"Adjusting %s by %d would leave %d on hand, fewer than the %d units reserved for orders."
					.formatted(sku, delta, current.onHand() + delta, current.reserved()),
				Map.of("sku", sku, "onHand", current.onHand(), "reserved", current.reserved(), "delta", delta));
	}

	/**
	 * Takes {@code units} out of what is available, with {@code change} (HOLD or SELL), for
	 * every sku or for none: one conditional statement, and when some sku falls short, one
	 * more that undoes the skus already changed. Concurrent adjustments are re-read by each
	 * row's condition, so the check and the change are one atomic step per row.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	Shortage takeAvailable(Change change, Map<String, Long> units) {
		List<String> changed = jdbc.sql("update inventory.stock s set " + change.assignments + """
				, updated_at = :now
				from unnest(cast(:skus as text[]), cast(:quantities as bigint[])) as w(sku, quantity)
				where s.sku = w.sku and s.on_hand - s.reserved >= w.quantity
				returning s.sku""")
			.param("skus", units.keySet().toArray(String[]::new))
			.param("quantities", units.values().stream().mapToLong(Long::longValue).toArray())
			.param("now", Timestamp.from(clock.instant()))
			.query(String.class)
			.list();
		if (changed.size() == units.size()) {
			return Shortage.NONE;
		}
		Map<String, Long> undo = new TreeMap<>(units);
		undo.keySet().retainAll(changed);
		apply(change.inverse(), undo);
		long known = jdbc.sql("select count(*) from inventory.stock where sku = any(cast(:skus as text[]))")
			.param("skus", units.keySet().toArray(String[]::new))
			.query(Long.class)
			.single();
		return known < units.size() ? Shortage.UNKNOWN_SKU : Shortage.OUT_OF_STOCK;
	}

	/** Applies {@code change} to every sku of {@code units} at once. */
	@Transactional(propagation = Propagation.MANDATORY)
	void apply(Change change, Map<String, Long> units) {
		if (units.isEmpty()) {
			return;
		}
		int changed = jdbc.sql("update inventory.stock s set " + change.assignments + """
				, updated_at = :now
				from unnest(cast(:skus as text[]), cast(:quantities as bigint[])) as w(sku, quantity)
				where s.sku = w.sku""")
			.param("skus", units.keySet().toArray(String[]::new))
			.param("quantities", units.values().stream().mapToLong(Long::longValue).toArray())
			.param("now", Timestamp.from(clock.instant()))
			.update();
		if (changed != units.size()) {
			throw new IllegalStateException(change + " changed " + changed + " of " + units.size() + " skus " + units.keySet());
		}
	}

	static ProblemException unknownSku(String sku) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No product with sku " + sku + ".");
	}
}
