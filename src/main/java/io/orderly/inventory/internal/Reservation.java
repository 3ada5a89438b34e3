package io.orderly.inventory.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The reservation of one order: its state and the units it holds (or held) per sku, sorted
 * by sku. {@code reason} is set when the reservation FAILED, {@code expiresAt} otherwise.
 */
record Reservation(String orderId, ReservationState state, String reason, Instant expiresAt,
		SortedMap<String, Long> lines) {

	Reservation {
		lines = Collections.unmodifiableSortedMap(new TreeMap<>(lines));
	}
}
