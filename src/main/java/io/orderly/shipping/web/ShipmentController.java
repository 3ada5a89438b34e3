package io.orderly.shipping.web;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.shipping.internal.Shipment;
import io.orderly.shipping.internal.ShipmentManagement;
import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of an order's shipment, and the dispatch that hands it to the carrier. */
@RestController
@RequestMapping("/v1/admin/shipments")
@ConditionalOnModule("shipping")
class ShipmentController {

	static final String ORDER_ID = "[A-Za-z0-9._:-]{1,100}";

	private final ShipmentManagement shipments;

	ShipmentController(ShipmentManagement shipments) {
		this.shipments = shipments;
	}

	/** 200 with the shipment (or the tombstone of a shipping cancelled before creation); 404 if none. */
	@GetMapping("/{orderId}")
	Shipment get(@PathVariable @Pattern(regexp = ORDER_ID) String orderId) {
		return shipments.find(orderId);
	}

	/**
	 * 200 with the dispatched shipment; publishes ShipmentDispatched the first time. 404 if the
	 * order has no shipment, 409 if its shipping was cancelled.
	 */
	@PostMapping("/{orderId}/dispatch")
	Shipment dispatch(@PathVariable @Pattern(regexp = ORDER_ID) String orderId) {
		return shipments.dispatch(orderId);
	}
}
