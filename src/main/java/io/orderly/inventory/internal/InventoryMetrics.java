package io.orderly.inventory.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

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
		afterCommit(made::increment);
	}

	void failed(String reason) {
		Counter counter = Counter.builder("orderly.inventory.reservations.failed")
			.description("Orders whose units could not be reserved")
			.tag("reason", reason)
			.register(registry);
		afterCommit(counter::increment);
	}

	void expired() {
		afterCommit(expired::increment);
	}

	void committed() {
		afterCommit(committed::increment);
	}

	void released() {
		afterCommit(released::increment);
	}

	private static void afterCommit(Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				action.run();
			}
		});
	}
}
