package io.orderly.shipping.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.platform.AfterCommit;
import io.orderly.platform.ConditionalOnModule;

import org.springframework.stereotype.Component;

/**
 * Shipments created, cancelled and dispatched, and the commands refused by reason, at
 * /actuator/prometheus. Counted when the transaction that made the change commits.
 */
@Component
@ConditionalOnModule("shipping")
class ShippingMetrics {

	private final MeterRegistry registry;

	private final Counter created;

	private final Counter cancelled;

	private final Counter dispatched;

	private final Counter delivered;

	ShippingMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.created = Counter.builder("orderly.shipping.shipments.created")
			.description("Shipments created")
			.register(registry);
		this.cancelled = Counter.builder("orderly.shipping.shipments.cancelled")
			.description("Live shipments cancelled (tombstones for orders without a shipment not included)")
			.register(registry);
		this.dispatched = Counter.builder("orderly.shipping.shipments.dispatched")
			.description("Shipments dispatched")
			.register(registry);
		this.delivered = Counter.builder("orderly.shipping.shipments.delivered")
			.description("Shipments the carrier reported delivered")
			.register(registry);
	}

	void created() {
		AfterCommit.run(created::increment);
	}

	void cancelled() {
		AfterCommit.run(cancelled::increment);
	}

	void dispatched() {
		AfterCommit.run(dispatched::increment);
	}

	void delivered() {
		AfterCommit.run(delivered::increment);
	}

	/** A command answered with a failure reply, such as {@code already_dispatched}. */
	void refused(String command, String reason) {
		AfterCommit.run(() -> Counter.builder("orderly.shipping.commands.refused")
			.description("Commands answered with a failure reply")
			.tag("command", command)
			.tag("reason", reason)
			.register(registry)
			.increment());
	}
}
