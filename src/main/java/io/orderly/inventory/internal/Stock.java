package io.orderly.inventory.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
	 * Locks the stock rows of {@code skus} in sku order until the transaction ends and returns
	 * the units available per sku; unknown skus are absent.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	Map<String, Long> lockAvailable(Collection<String> skus) {
		Map<String, Long> available = new LinkedHashMap<>();
		jdbc.sql("""
				select sku, on_hand - reserved as available from inventory.stock
				where sku = any(cast(:skus as text[])) order by sku for update""")
			.param("skus", skus.toArray(String[]::new))
			.query(rs -> {
				available.put(rs.getString("sku"), rs.getLong("available"));
			});
		return available;
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
