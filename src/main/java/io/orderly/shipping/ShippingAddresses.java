package io.orderly.shipping;

import java.sql.Timestamp;
import java.time.Clock;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The shipping module's API for changing where a parcel goes, for the order module's edits (in
 * its transaction, as {@code Catalog} is read). The change is one conditional update of the
 * shipment's row, the row a dispatch changes too: the two serialize there, and exactly one of
 * them wins. Changed before the dispatch, the parcel leaves with the new address; after it,
 * nothing changes.
 */
@Component
public class ShippingAddresses {

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

	ShippingAddresses(JdbcClient jdbc, JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public Outcome change(String orderId, ShippingAddress address) {
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
}
