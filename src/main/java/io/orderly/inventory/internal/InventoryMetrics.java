package io.orderly.inventory.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.platform.AfterCommit;

import org.springframework.stereotype.Component;

/**
 * Reservation counters at /actuator/prometheus. A counter moves when the transaction that
 * made the change commits, so redelivered or rolled-back work is not counted twice.
 */
@Component
class InventoryMetrics {

	private final MeterRegistry registry;

	private final Counter made;

	private final Counter expired;

	private final Counter committed;

	private final Counter released;

	InventoryMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.made = Counter.builder("orderly.inventory.reservations.made")
			.description("Orders whose units were reserved")
			.register(registry);
		this.expired = Counter.builder("orderly.inventory.reservations.expired")
			.description("Reservations returned to stock because nobody committed or released them in time")
			.register(registry);
		this.committed = Counter.builder("orderly.inventory.reservations.committed")
			.description("Reservations that became sales")
			.register(registry);
		this.released = Counter.builder("orderly.inventory.reservations.released")
			.description("Reservations or sales given back by their order")
			.register(registry);
	}

	void made() {
		AfterCommit.run(made::increment);
	}

	void failed(String reason) {
		Counter counter = Counter.builder("orderly.inventory.reservations.failed")
			.description("Orders whose units could not be reserved")
			.tag("reason", reason)
			.register(registry);
		AfterCommit.run(counter::increment);
	}

	void expired() {
		AfterCommit.run(expired::increment);
	}

	void committed() {
		AfterCommit.run(committed::increment);
	}

	void released() {
		AfterCommit.run(released::increment);
	}
}
