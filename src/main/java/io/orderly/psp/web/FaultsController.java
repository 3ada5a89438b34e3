package io.orderly.psp.web;

import io.orderly.psp.internal.FaultControl;
import io.orderly.psp.internal.FaultSettings;
import io.orderly.psp.internal.PspStatus;
import io.orderly.psp.internal.PspEnabled;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.context.annotation.Conditional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The simulator's fault knobs, on the platform's port (they must work while the PSP is down). */
@RestController("pspFaultsController")
@RequestMapping("/psp/admin")
@Conditional(PspEnabled.class)
@org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty("orderly.faults.enabled")
@Tag(name = "PSP simulator: records and faults")
class FaultsController {

	private final FaultControl control;

	FaultsController(FaultControl control) {
		this.control = control;
	}

	@GetMapping("/faults")
	@Operation(summary = "The faults in force")
	FaultSettings faults() {
		return control.current();
	}

	@PutMapping("/faults")
	@Operation(summary = "Replace the faults in force", description = """
			Fields left out take their defaults (0, false, timeoutMs 30000). down=true closes the \
			simulator's port (connections refused); down=false opens it again.""")
	FaultSettings set(@RequestBody FaultSettings settings) {
		return control.set(settings);
	}

	@DeleteMapping("/faults")
	@Operation(summary = "Reset: no faults, port open, hanging requests answered at once")
	FaultSettings reset() {
		return control.reset();
	}

	@GetMapping("/status")
	@Operation(summary = "Port, up or down, requests hanging now, faults injected so far")
	PspStatus status() {
		return control.status();
	}
}
