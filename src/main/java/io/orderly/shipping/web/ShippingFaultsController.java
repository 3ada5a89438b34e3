package io.orderly.shipping.web;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.shipping.ShippingFaults;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The carrier fault knob of {@link ShippingFaults}, for compensation tests and demos. */
@RestController
@RequestMapping("/v1/admin/shipping/faults")
@ConditionalOnModule("shipping")
@org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty("orderly.faults.enabled")
class ShippingFaultsController {

	private final ShippingFaults faults;

	ShippingFaultsController(ShippingFaults faults) {
		this.faults = faults;
	}

	@GetMapping
	ShippingFaults.Settings get() {
		return faults.settings();
	}

	/** Replaces the faults: the fields given are set, the others turned off. 200 with the result. */
	@PutMapping
	ShippingFaults.Settings put(@RequestBody FaultsRequest request) {
		faults.apply(request.toSettings());
		return faults.settings();
	}

	/** Turns every fault off. */
	@DeleteMapping
	ResponseEntity<Void> reset() {
		faults.reset();
		return ResponseEntity.noContent().build();
	}
}
