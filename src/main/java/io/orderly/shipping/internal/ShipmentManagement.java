package io.orderly.shipping.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.web.ProblemException;
import io.orderly.shipping.CancelShipment;
import io.orderly.shipping.CreateShipment;
import io.orderly.shipping.ShipmentCancellationFailed;
import io.orderly.shipping.ShipmentCancelled;
import io.orderly.shipping.ShipmentCreated;
import io.orderly.shipping.ShipmentCreationFailed;
import io.orderly.shipping.ShipmentDelivered;
import io.orderly.shipping.ShipmentDispatched;
import io.orderly.shipping.ShippingFaults;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Answers the checkout saga's shipping commands and the operator's dispatches. Commands run
 * in the shipping subscription's transaction, replies go out through the outbox in it, and
 * every reply has the order id as its subject. A refusal is a failure reply, never an
 * exception: an exception asks the kernel to retry.
 *
 * <ul>
 * <li>CreateShipment: creates the order's shipment once; a repeated command answers
 * {@link ShipmentCreated} with the same shipment id. After the order's shipping was
 * cancelled (even before any shipment existed) it answers
 * {@link ShipmentCreationFailed} {@code already_cancelled} and creates nothing, so a command
 * overtaken by its compensation cannot leave a live shipment behind.</li>
 * <li>CancelShipment: a created shipment becomes cancelled; without a shipment a tombstone
 * is left; both answer {@link ShipmentCancelled}, as does a repeat. A dispatched shipment
 * answers {@link ShipmentCancellationFailed} {@code already_dispatched}.</li>
 * </ul>
 */
@Component
@ConditionalOnModule("shipping")
public class ShipmentManagement {

	static final String ALREADY_CANCELLED = "already_cancelled";

	static final String ALREADY_DISPATCHED = ShipmentCancellationFailed.ALREADY_DISPATCHED;

	static final String NO_ADDRESS = "no_address";

	static final String NO_ITEMS = "no_items";

	static final String INVALID_ITEMS = "invalid_items";

	private static final int MAX_ITEMS = 500;

	private final Shipments shipments;

	private final Outbox outbox;

	private final ShippingFaults faults;

	private final ShippingMetrics metrics;

	private final Clock clock;

	private final Carrier carrier;

	ShipmentManagement(Shipments shipments, Outbox outbox, ShippingFaults faults, ShippingMetrics metrics, Clock clock,
			Carrier carrier) {
		this.carrier = carrier;
		this.shipments = shipments;
		this.outbox = outbox;
		this.faults = faults;
		this.metrics = metrics;
		this.clock = clock;
	}

	void on(CreateShipment command) {
		String orderId = requireOrderId(command.orderId(), command);
		String invalid = invalid(command);
		if (invalid != null) {
			refuseCreation(orderId, invalid);
			return;
		}
		if (faults.creationsMayFail() && shipments.current(orderId).isEmpty() && faults.refuseCreation()) {
			refuseCreation(orderId, ShippingFaults.CARRIER_UNAVAILABLE);
			return;
		}
		Shipments.Outcome outcome = shipments.create(orderId, command.address(), command.items(), clock.instant());
		if (outcome.state() == ShipmentState.CANCELLED) {
			refuseCreation(orderId, ALREADY_CANCELLED);
			return;
		}
		if (outcome.changed()) {
			metrics.created();
		}
		outbox.publish(orderId, new ShipmentCreated(orderId, outcome.shipmentId().toString()));
	}

	void on(CancelShipment command) {
		String orderId = requireOrderId(command.orderId(), command);
		if (faults.cancellationsMayFail() && isLive(orderId) && faults.refuseCancellation()) {
			refuseCancellation(orderId, ShippingFaults.CARRIER_UNAVAILABLE);
			return;
		}
		Shipments.Outcome outcome = shipments.cancel(orderId, clock.instant());
		if (outcome.state().left()) {
			refuseCancellation(orderId, ALREADY_DISPATCHED);
			return;
		}
		if (outcome.changed() && outcome.shipmentId() != null) {
			metrics.cancelled();
		}
		outbox.publish(orderId, new ShipmentCancelled(orderId));
	}

	/**
	 * Hands the order's shipment to the carrier and publishes {@link ShipmentDispatched}.
	 * Dispatching a dispatched shipment again changes nothing and publishes nothing.
	 *
	 * @throws ProblemException 404 when the order has no shipment, 409 when it was cancelled
	 */
	@Transactional
	public Shipment dispatch(String orderId) {
		Optional<Shipment> dispatched = shipments.dispatch(orderId, clock.instant());
		if (dispatched.isPresent()) {
			outbox.publish(orderId, new ShipmentDispatched(orderId, dispatched.get().shipmentId()));
			carrier.handOver(dispatched.get());
			metrics.dispatched();
			return dispatched.get();
		}
		Shipment current = shipments.find(orderId).orElseThrow(() -> notFound(orderId));
		if (current.state().left()) {
			return current;
		}
		throw new ProblemException(HttpStatus.CONFLICT, "shipment-cancelled", "Shipment cancelled",
				"The shipping of order " + orderId + " was cancelled; it cannot be dispatched.");
	}

	/**
	 * The carrier delivered shipment {@code shipmentId} at {@code at}: a dispatched shipment
	 * becomes DELIVERED and {@link ShipmentDelivered} is published, once; a report repeated, or
	 * about a shipment that is not dispatched, changes nothing.
	 *
	 * @return whether it changed the shipment
	 */
	@Transactional
	public boolean delivered(UUID shipmentId, Instant at) {
		Optional<Shipment> delivered = shipments.deliver(shipmentId, at, clock.instant());
		delivered.ifPresent(shipment -> {
			outbox.publish(shipment.orderId(), new ShipmentDelivered(shipment.orderId(), shipment.shipmentId(),
					shipment.deliveredAt()));
			metrics.delivered();
		});
		return delivered.isPresent();
	}

	/** @throws ProblemException 404 when the order has neither a shipment nor a tombstone */
	@Transactional(readOnly = true)
	public Shipment find(String orderId) {
		return shipments.find(orderId).orElseThrow(() -> notFound(orderId));
	}

	private boolean isLive(String orderId) {
		return shipments.current(orderId).map(row -> row.state() == ShipmentState.CREATED).orElse(false);
	}

	private void refuseCreation(String orderId, String reason) {
		outbox.publish(orderId, new ShipmentCreationFailed(orderId, reason));
		metrics.refused("CreateShipment", reason);
	}

	private void refuseCancellation(String orderId, String reason) {
		outbox.publish(orderId, new ShipmentCancellationFailed(orderId, reason));
		metrics.refused("CancelShipment", reason);
	}

	/** Why the command cannot be carried out, or null if it can. */
	private static String invalid(CreateShipment command) {
		if (command.address() == null) {
			return NO_ADDRESS;
		}
		if (command.items().isEmpty()) {
			return NO_ITEMS;
		}
		if (command.items().size() > MAX_ITEMS || command.items()
			.stream()
			.anyMatch(item -> item.sku() == null || item.sku().isBlank() || item.quantity() < 1)) {
			return INVALID_ITEMS;
		}
		return null;
	}

	/** A command without an order id cannot be answered: it is poison, for the dead-letter store. */
	private static String requireOrderId(String orderId, Object command) {
		if (orderId == null || orderId.isBlank()) {
			throw new IllegalArgumentException(command.getClass().getSimpleName() + " without an order id");
		}
		return orderId;
	}

	private static ProblemException notFound(String orderId) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
				"No shipment for order " + orderId + ".");
	}
}
