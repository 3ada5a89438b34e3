package io.orderly.inventory.internal;

import java.time.Clock;
import java.time.Instant;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Returns reservations nobody committed or released in time to stock, in small
 * transactions, so an abandoned checkout never holds units for longer than the TTL plus
 * one interval. Safe to run in several processes at once.
 */
@Component
@ConditionalOnModule("inventory")
class ReservationExpiry {

	/** Batches per run at most, so one run never monopolises the reservations' turn. */
	private static final int MAX_BATCHES_PER_RUN = 50;

	private final Reservations reservations;

	private final Clock clock;

	private final InventoryProperties properties;

	ReservationExpiry(Reservations reservations, Clock clock, InventoryProperties properties) {
		this.reservations = reservations;
		this.clock = clock;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${orderly.inventory.expiry-interval:1s}",
			initialDelayString = "${orderly.inventory.expiry-interval:1s}")
	void expireDue() {
		Instant now = clock.instant();
		for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
			if (reservations.expireDue(now, properties.expiryBatchSize()) < properties.expiryBatchSize()) {
				return;
			}
		}
	}
}
