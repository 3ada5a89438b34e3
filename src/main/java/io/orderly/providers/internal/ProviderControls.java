package io.orderly.providers.internal;

import java.util.List;
import java.util.Optional;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/** The simulators' fault switches and records, as the admin API shows them. */
@Component
@ConditionalOnModule("providers")
@ConditionalOnBooleanProperty(name = "orderly.providers.enabled", matchIfMissing = true)
public class ProviderControls {

	private final ProviderSimulators simulators;

	ProviderControls(ProviderSimulators simulators) {
		this.simulators = simulators;
	}

	public List<ProviderRecords> records() {
		return simulators.records();
	}

	public Optional<ProviderRecords> setFaults(String name, double errorRate, long latencyMs, double timeoutRate, long hangMs,
			boolean down) {
		return simulators.provider(name).map(provider -> {
			provider.setFaults(new SimulatedProvider.Faults(errorRate, latencyMs, timeoutRate, hangMs, down));
			return provider.records();
		});
	}
}
