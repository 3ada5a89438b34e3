package io.orderly.psp.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * The faults in force and the dice that apply them. Each request draws the same three numbers
 * in the same order, so a seeded generator replays a fault sequence exactly.
 */
public class Faults {

	private final AtomicReference<FaultSettings> settings;

	private final RandomGenerator random;

	private final AtomicLong errors = new AtomicLong();

	private final AtomicLong timeouts = new AtomicLong();

	private final AtomicLong lostResponses = new AtomicLong();

	private final AtomicLong refusedWhileDown = new AtomicLong();

	Faults(FaultSettings initial, RandomGenerator random) {
		this.settings = new AtomicReference<>(initial);
		this.random = random;
	}

	public FaultSettings settings() {
		return settings.get();
	}

	void set(FaultSettings faults) {
		settings.set(faults);
	}

	/** Rolls the dice for one request. */
	FaultPlan plan() {
		FaultSettings s = settings.get();
		// Draw all three every time, whatever the rates, so a seed yields one sequence.
		double error = random.nextDouble();
		double timeout = random.nextDouble();
		double lost = random.nextDouble();
		FaultPlan plan = new FaultPlan(s.down(), error < s.errorRate(), timeout < s.timeoutRate(),
				Duration.ofMillis(s.timeoutMs()), Duration.ofMillis(s.latencyMs()), lost < s.lostResponseRate());
		count(plan);
		return plan;
	}

	private void count(FaultPlan plan) {
		if (plan.down()) {
			refusedWhileDown.incrementAndGet();
		}
		else if (plan.error()) {
			errors.incrementAndGet();
		}
		else if (plan.timeout()) {
			timeouts.incrementAndGet();
		}
		else if (plan.lostResponse()) {
			lostResponses.incrementAndGet();
		}
	}

	InjectedFaults injected() {
		return new InjectedFaults(errors.get(), timeouts.get(), lostResponses.get(), refusedWhileDown.get());
	}
}
