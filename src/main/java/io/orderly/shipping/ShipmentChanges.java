package io.orderly.shipping;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The shipping module's API for changing a parcel before it leaves (where it goes, what is in
 * it), for the order module's edits, in its transaction (as {@code Catalog} is read). Each change
 * is made on the shipment's row, the row a dispatch changes too: the two serialize there, and
 * exactly one of them wins. Changed before the dispatch, the parcel leaves as changed; after
 * it, nothing changes.
 */
@Component
public class ShipmentChanges {

	/** What a change found. */
	public enum Outcome {
		/** The shipment had not left: it goes to the new address. */
		CHANGED,
		/** The parcel left already (dispatched or delivered). */
		LEFT,
		/** The order's shipping was cancelled. */
		CANCELLED,
		/** No shipment yet: the order is still in checkout. */
		NONE
	}

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Clock clock;

	ShipmentChanges(JdbcClient jdbc, JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
	}

	/** The parcel goes to {@code address}. */
	@Transactional(propagation = Propagation.MANDATORY)
	public Outcome changeAddress(String orderId, ShippingAddress address) {
		int changed = jdbc.sql("""
				update shipping.shipments set address = cast(:address as jsonb), address_changed_at = :now, updated_at = :now
				where order_id = :order and state = 'CREATED'""")
			.param("address", json.writeValueAsString(address))
			.param("now", Timestamp.from(clock.instant()))
			.param("order", orderId)
			.update();
		if (changed > 0) {
			return Outcome.CHANGED;
		}
		return jdbc.sql("select state from shipping.shipments where order_id = :order")
			.param("order", orderId)
			.query(String.class)
			.optional()
			.map(state -> switch (state) {
				case "CANCELLED" -> Outcome.CANCELLED;
				case "CREATED" -> throw new IllegalStateException("Shipment of order " + orderId + " changed concurrently");
				default -> Outcome.LEFT;
			})
			.orElse(Outcome.NONE);
	}

	/**
	 * The units of {@code sku} come out of the parcel. The row is locked first, so a dispatch
	 * waits and then sends the parcel as changed.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Outcome removeItem(String orderId, String sku) {
		Optional<String[]> row = jdbc.sql("select state, items::text from shipping.shipments where order_id = :order for update")
			.param("order", orderId)
			.query((rs, n) -> new String[] { rs.getString(1), rs.getString(2) })
			.optional();
		if (row.isEmpty()) {
			return Outcome.NONE;
		}
		switch (row.get()[0]) {
			case "CANCELLED" -> {
				return Outcome.CANCELLED;
			}
			case "CREATED" -> {
			}
			default -> {
				return Outcome.LEFT;
			}
		}
		List<CreateShipment.Item> items = List.of(json.readValue(row.get()[1], CreateShipment.Item[].class));
		jdbc.sql("update shipping.shipments set items = cast(:items as jsonb), updated_at = :now where order_id = :order")
			.param("items", json.writeValueAsString(items.stream().filter(item -> !item.sku().equals(sku)).toList()))
			.param("now", Timestamp.from(clock.instant()))
			.param("order", orderId)
			.update();
		return Outcome.CHANGED;
	}
}
