package io.orderly.platform;

import java.util.UUID;

import com.github.f4b6a3.uuid.UuidCreator;

/**
 * Time-ordered ids made without coordination: UUID version 7 (48 bits of milliseconds, then
 * a monotonic counter and random bits), so ids sort by creation time on one instance and
 * never collide across instances.
 */
public final class Ids {

	private Ids() {
	}

	public static UUID next() {
		return UuidCreator.getTimeOrderedEpoch();
	}

	/** The next id as its canonical string. */
	public static String nextString() {
		return next().toString();
	}
}
