package io.orderly.links.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * Makes link codes without asking anyone: Base62 of a 64-bit number that grows with time.
 *
 * <pre>
 *  41 bits  milliseconds since 2025-01-01 (enough for 69 years)
 *  13 bits  this generator's number (each instance takes one from a sequence at startup)
 *  10 bits  counter within the millisecond (1,024 codes per millisecond and generator)
 * </pre>
 *
 * Two generators with different numbers never make the same code; one generator never makes
 * the same code twice, since the time part never goes back (a clock that steps back is waited
 * out by borrowing from the last millisecond used). Codes are at least {@value #MIN_LENGTH}
 * characters (left-padded), 9 to 11 in practice. Generator numbers wrap after 8,192 starts; a
 * reused number meets codes of its own earlier holder only if that holder made them in the
 * same millisecond, and the table's primary key refuses those (the caller draws again).
 */
public final class LinkCodes {

	static final int MIN_LENGTH = 7;

	static final long EPOCH_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

	private static final int GENERATOR_BITS = 13;

	private static final int COUNTER_BITS = 10;

	private static final long MAX_COUNTER = (1L << COUNTER_BITS) - 1;

	private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	private final Clock clock;

	private final long generator;

	private long lastMillis = -1;

	private long counter;

	public LinkCodes(Clock clock, long generatorNumber) {
		this.clock = clock;
		this.generator = Math.floorMod(generatorNumber, 1L << GENERATOR_BITS);
	}

	public synchronized String next() {
		long millis = Math.max(clock.millis() - EPOCH_MILLIS, 0);
		if (millis > lastMillis) {
			lastMillis = millis;
			counter = 0;
		}
		else if (counter < MAX_COUNTER) {
			counter++;
		}
		else {
			// This millisecond is used up (or the clock went back): borrow the next one.
			lastMillis++;
			counter = 0;
		}
		long value = (lastMillis << (GENERATOR_BITS + COUNTER_BITS)) | (generator << COUNTER_BITS) | counter;
		return base62(value);
	}

	static String base62(long value) {
		char[] buffer = new char[11];
		int position = buffer.length;
		long rest = value;
		do {
			buffer[--position] = ALPHABET[(int) Long.remainderUnsigned(rest, 62)];
			rest = Long.divideUnsigned(rest, 62);
		}
		while (rest != 0);
		while (buffer.length - position < MIN_LENGTH) {
			buffer[--position] = '0';
		}
		return new String(buffer, position, buffer.length - position);
	}
}
