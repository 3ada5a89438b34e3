package io.orderly.shipping.web;

import io.orderly.shipping.ShippingFaults;

/**
 * The body of {@code PUT /v1/admin/shipping/faults}: the faults to set, every other one off.
 * At least one field must be given, so that a misspelt field is refused rather than read as
 * "no faults".
 */
record FaultsRequest(Boolean failCancellations, Integer cancellationsToFail, Boolean failCreations,
		Integer creationsToFail) {

	static final int MAX_COUNT = 1_000_000;

	FaultsRequest {
		if (failCancellations == null && cancellationsToFail == null && failCreations == null
				&& creationsToFail == null) {
			throw new IllegalArgumentException(
					"name at least one of failCancellations, cancellationsToFail, failCreations, creationsToFail");
		}
		requireCount(cancellationsToFail, "cancellationsToFail");
		requireCount(creationsToFail, "creationsToFail");
	}

	ShippingFaults.Settings toSettings() {
		return new ShippingFaults.Settings(Boolean.TRUE.equals(failCancellations),
				cancellationsToFail == null ? 0 : cancellationsToFail, Boolean.TRUE.equals(failCreations),
				creationsToFail == null ? 0 : creationsToFail);
	}

	private static void requireCount(Integer count, String field) {
		if (count != null && (count < 0 || count > MAX_COUNT)) {
			throw new IllegalArgumentException(field + " must be 0 to " + MAX_COUNT);
		}
	}
}
