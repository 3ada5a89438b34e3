package io.orderly.platform.messaging;

import org.springframework.boot.health.contributor.Status;

/** The transport's part of the readiness probe (the health component {@code messaging}). */
final class MessagingTransportHealth {

	/**
	 * The instance works, but a part of it waits: with the broker away, orders are still taken
	 * and their messages wait in the outbox. Ordered between DOWN and UP, answered with 200.
	 */
	static final Status DEGRADED = new Status("DEGRADED", "working; messages wait in the outbox until the broker is back");

	private MessagingTransportHealth() {
	}
}
