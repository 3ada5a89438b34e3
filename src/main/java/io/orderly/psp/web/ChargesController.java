package io.orderly.psp.web;

import io.orderly.psp.internal.AuthorizationList;
import io.orderly.psp.internal.PaymentProcessor;
import io.orderly.psp.internal.PspEnabled;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.context.annotation.Conditional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The simulator's books for tests, demos and reconciliation: what it really did per reference.
 * Served on both ports, never faulted, reachable while the simulator is down.
 */
@RestController("pspChargesController")
@Conditional(PspEnabled.class)
@Tag(name = "PSP simulator: records and faults")
class ChargesController {

	private final PaymentProcessor processor;

	ChargesController(PaymentProcessor processor) {
		this.processor = processor;
	}

	@GetMapping("/psp/v1/charges")
	@Operation(summary = "What the PSP really did for a reference", description = """
			Every authorization with this reference (amount, currency, status, captured and refunded \
			amounts, voided flag) and its operations with timestamps. Not subject to injected faults; \
			served on the platform's port too.""")
	AuthorizationList charges(@RequestParam String reference) {
		return processor.byReference(reference);
	}
}
