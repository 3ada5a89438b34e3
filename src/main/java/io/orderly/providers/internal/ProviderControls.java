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

	/** A provider's records (see the module's description). */
	public record Records(String name, int port, double errorRate, long latencyMs, double timeoutRate, long hangMs,
			boolean down, long requests, long accepted, long duplicates, long rateLimited, long errors, long rejected,
			long receiptsSent, long maxAcceptedPerSecond, int ratePerSecond) {

		static Records of(SimulatedProvider.Records r) {
			return new Records(r.name(), r.port(), r.faults().errorRate(), r.faults().latencyMs(),
					r.faults().timeoutRate(), r.faults().hangMs(), r.faults().down(), r.requests(), r.accepted(),
					r.duplicates(), r.rateLimited(), r.errors(), r.rejected(), r.receiptsSent(),
					r.maxAcceptedPerSecond(), r.ratePerSecond());
		}
	}

	public List<Records> records() {
		return simulators.records().stream().map(Records::of).toList();
	}

	public Optional<Records> setFaults(String name, double errorRate, long latencyMs, double timeoutRate, long hangMs,
			boolean down) {
		return simulators.provider(name).map(provider -> {
			provider.setFaults(new SimulatedProvider.Faults(errorRate, latencyMs, timeoutRate, hangMs, down));
			return Records.of(provider.records());
		});
	}
}
