package io.orderly.providers.web;

import java.util.List;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.orderly.providers.internal.ProviderControls;
import io.orderly.providers.internal.ProviderRecords;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The provider simulators' fault switches and records (admin; only with orderly.faults.enabled). */
@RestController
@RequestMapping("/v1/admin/notification-providers")
@ConditionalOnModule("providers")
@ConditionalOnBooleanProperty("orderly.faults.enabled")
class ProviderFaultsController {

	private final ProviderControls controls;

	ProviderFaultsController(ProviderControls controls) {
		this.controls = controls;
	}

	/** Each fault left out is off. */
	record FaultsRequest(@DecimalMin("0") @DecimalMax("1") Double errorRate, @Min(0) @Max(60_000) Long latencyMs,
			@DecimalMin("0") @DecimalMax("1") Double timeoutRate, @Min(0) @Max(120_000) Long hangMs, Boolean down) {
	}

	@Operation(summary = "Provider simulators' records", description = "Per simulated provider: its faults, requests, messages accepted (once per key), repeats, rate-limited, errors, rejected, receipts sent and the most accepted in one second.")
	@GetMapping
	List<ProviderRecords> records() {
		return controls.records();
	}

	@Operation(summary = "Set a provider simulator's faults", description = "errorRate: 503 before sending; latencyMs before answering; timeoutRate: sends, then holds the answer hangMs; down: the port refuses connections. 404 for an unknown provider.")
	@PutMapping("/{name}/faults")
	ProviderRecords faults(@PathVariable String name, @Valid @RequestBody FaultsRequest faults) {
		return controls.setFaults(name, orZero(faults.errorRate()), orZero(faults.latencyMs()),
				orZero(faults.timeoutRate()), orZero(faults.hangMs()), Boolean.TRUE.equals(faults.down()))
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "provider-not-found", "Provider not found",
					"There is no simulated provider " + name + "."));
	}

	private static double orZero(Double value) {
		return value == null ? 0 : value;
	}

	private static long orZero(Long value) {
		return value == null ? 0 : value;
	}
}
