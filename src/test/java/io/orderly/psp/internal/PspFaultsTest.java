package io.orderly.psp.internal;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PspFaultsTest {

	@Test
	void injectsNothingWithoutFaults() {
		Faults faults = new Faults(FaultSettings.none(), new Random(1));

		assertThat(IntStream.range(0, 1000).mapToObj(i -> faults.plan()))
			.allSatisfy(plan -> assertThat(List.of(plan.down(), plan.error(), plan.timeout(), plan.lostResponse()))
				.containsOnly(false));
	}

	@Test
	void injectsEveryFaultWhoseRateIsOne() {
		Faults faults = new Faults(new FaultSettings(1.0, 50L, 1.0, 1000L, 1.0, true), new Random(1));

		FaultPlan plan = faults.plan();

		assertThat(plan.down()).isTrue();
		assertThat(plan.error()).isTrue();
		assertThat(plan.timeout()).isTrue();
		assertThat(plan.lostResponse()).isTrue();
		assertThat(plan.latency()).isEqualTo(Duration.ofMillis(50));
		assertThat(plan.timeoutAfter()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void injectsFaultsAtTheirRates() {
		Faults faults = new Faults(new FaultSettings(0.3, null, 0.05, null, 0.1, null), new Random(42));

		List<FaultPlan> plans = IntStream.range(0, 10_000).mapToObj(i -> faults.plan()).toList();

		assertThat(plans.stream().filter(FaultPlan::error).count()).isBetween(2800L, 3200L);
		assertThat(plans.stream().filter(FaultPlan::timeout).count()).isBetween(400L, 600L);
		assertThat(plans.stream().filter(FaultPlan::lostResponse).count()).isBetween(850L, 1150L);
		assertThat(faults.injected().errors()).isEqualTo(plans.stream().filter(FaultPlan::error).count());
	}

	@Test
	void replaysTheSameFaultsForTheSameSeed() {
		FaultSettings settings = new FaultSettings(0.3, null, 0.2, null, 0.1, null);
		Faults one = new Faults(settings, new Random(7));
		Faults other = new Faults(settings, new Random(7));

		assertThat(IntStream.range(0, 100).mapToObj(i -> one.plan()).toList())
			.isEqualTo(IntStream.range(0, 100).mapToObj(i -> other.plan()).toList());
	}

	@Test
	void refusesSettingsOutOfRange() {
		assertThatThrownBy(() -> new FaultSettings(1.5, null, null, null, null, null))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errorRate");
		assertThatThrownBy(() -> new FaultSettings(null, -1L, null, null, null, null))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latencyMs");
		assertThatThrownBy(() -> new FaultSettings(null, null, Double.NaN, null, null, null))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeoutRate");
		assertThatThrownBy(() -> new FaultSettings(null, null, null, 0L, null, null))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeoutMs");
	}
}
