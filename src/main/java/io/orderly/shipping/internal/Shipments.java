package io.orderly.shipping.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Ids;
import io.orderly.shipping.CreateShipment;
import io.orderly.shipping.ShippingAddress;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The shipments table. Every change is one conditional statement on the order's row, so a
 * command and a concurrent dispatch serialize on that row and the state machine of
 * {@link ShipmentState} holds without reading first.
 */
@Component
@ConditionalOnModule("shipping")
class Shipments {

	private static final String COLUMNS = """
			order_id, shipment_id, state, address::text as address, items::text as items, created_at, updated_at,
			cancelled_at, dispatched_at, delivered_at, address_changed_at, label_address::text as label_address""";

	private static final TypeReference<List<CreateShipment.Item>> ITEMS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	Shipments(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * The order's row after a command: its shipment id (null for a tombstone), its state, and
	 * whether this command changed it.
	 */
	record Outcome(UUID shipmentId, ShipmentState state, boolean changed) {
	}

	/** Creates the order's shipment unless the order has a row already; either way, the row. */
	Outcome create(String orderId, ShippingAddress address, List<CreateShipment.Item> items, Instant now) {
		return jdbc.sql("""
				with inserted as (
				    insert into shipping.shipments (order_id, shipment_id, state, address, items, created_at, updated_at)
				    values (:orderId, :shipmentId, 'CREATED', cast(:address as jsonb), cast(:items as jsonb), :now, :now)
				    on conflict (order_id) do nothing
				    returning shipment_id, state)
				select shipment_id, state, true as changed from inserted
				union all
				select shipment_id, state, false from shipping.shipments
				where order_id = :orderId and not exists (select 1 from inserted)""")
			.param("orderId", orderId)
			.param("shipmentId", Ids.next())
			.param("address", json.writeValueAsString(address))
			.param("items", json.writeValueAsString(items))
			.param("now", Timestamp.from(now))
			.query(Shipments::outcome)
			.optional()
			// Only when another transaction inserted the row after this statement's snapshot;
			// the consumer retries and then sees it.
			.orElseThrow(() -> new IllegalStateException("Shipment of order " + orderId + " changed concurrently"));
	}

	/**
	 * Cancels the order's live shipment, or leaves a tombstone when it has no row yet. When the
	 * shipment is cancelled or dispatched already, nothing changes.
	 */
	Outcome cancel(String orderId, Instant now) {
		return jdbc.sql("""
				insert into shipping.shipments (order_id, state, created_at, updated_at, cancelled_at)
				values (:orderId, 'CANCELLED', :now, :now, :now)
				on conflict (order_id) do update
				    set state = 'CANCELLED', updated_at = excluded.updated_at, cancelled_at = excluded.cancelled_at
				    where shipments.state = 'CREATED'
				returning shipment_id, state, true as changed""")
			.param("orderId", orderId)
			.param("now", Timestamp.from(now))
			.query(Shipments::outcome)
			.optional()
			.orElseGet(() -> current(orderId).orElseThrow());
	}

	/** Marks the order's shipment dispatched if it is {@code CREATED}; empty otherwise. */
	Optional<Shipment> dispatch(String orderId, Instant now) {
		return jdbc.sql("""
				update shipping.shipments set state = 'DISPATCHED', updated_at = :now, dispatched_at = :now,
				    label_address = address
				where order_id = :orderId and state = 'CREATED'
				returning %s""".formatted(COLUMNS))
			.param("orderId", orderId)
			.param("now", Timestamp.from(now))
			.query(this::shipment)
			.optional();
	}

	/** The carrier delivered a dispatched shipment: it is DELIVERED; empty if it was not DISPATCHED. */
	Optional<Shipment> deliver(UUID shipmentId, Instant at, Instant now) {
		return jdbc.sql("""
				update shipping.shipments set state = 'DELIVERED', updated_at = :now,
				    delivered_at = greatest(cast(:at as timestamptz), dispatched_at)
				where shipment_id = :shipmentId and state = 'DISPATCHED'
				returning %s""".formatted(COLUMNS))
			.param("shipmentId", shipmentId)
			.param("at", Timestamp.from(at))
			.param("now", Timestamp.from(now))
			.query(this::shipment)
			.optional();
	}

	/** The order's row as it is, without changing it. */
	Optional<Outcome> current(String orderId) {
		return jdbc.sql("select shipment_id, state, false as changed from shipping.shipments where order_id = :orderId")
			.param("orderId", orderId)
			.query(Shipments::outcome)
			.optional();
	}

	Optional<Shipment> find(String orderId) {
		return jdbc.sql("select " + COLUMNS + " from shipping.shipments where order_id = :orderId")
			.param("orderId", orderId)
			.query(this::shipment)
			.optional();
	}

	private static Outcome outcome(ResultSet rs, int row) throws SQLException {
		return new Outcome(rs.getObject("shipment_id", UUID.class), ShipmentState.valueOf(rs.getString("state")),
				rs.getBoolean("changed"));
	}

	private Shipment shipment(ResultSet rs, int row) throws SQLException {
		String address = rs.getString("address");
		String items = rs.getString("items");
		UUID shipmentId = rs.getObject("shipment_id", UUID.class);
		return new Shipment(rs.getString("order_id"), shipmentId == null ? null : shipmentId.toString(),
				ShipmentState.valueOf(rs.getString("state")),
				address == null ? null : json.readValue(address, ShippingAddress.class),
				items == null ? List.of() : json.readValue(items, ITEMS), instant(rs, "created_at"),
				instant(rs, "updated_at"), instant(rs, "cancelled_at"), instant(rs, "dispatched_at"),
				instant(rs, "delivered_at"), instant(rs, "address_changed_at"),
				rs.getString("label_address") == null ? null : json.readValue(rs.getString("label_address"), ShippingAddress.class));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return timestamp == null ? null : timestamp.toInstant();
	}
}
