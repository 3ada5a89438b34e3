package io.orderly.spike.messaging;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Timestamps of one measured phase: when the producer's transaction committed and when the
 * consumer's transaction (the effect) committed, per event. Events of another phase are ignored.
 */
public final class Probe {

	static final int MAX_EVENTS = 2_000_000;

	private volatile Phase current = new Phase(0);

	Phase start(int phase) {
		Phase next = new Phase(phase);
		current = next;
		return next;
	}

	Phase current() {
		return current;
	}

	public static final class Phase {

		final int id;

		final long[] committedAt = new long[MAX_EVENTS];

		final long[] consumedAt = new long[MAX_EVENTS];

		final AtomicIntegerArray deliveries = new AtomicIntegerArray(MAX_EVENTS);

		final AtomicInteger next = new AtomicInteger();

		final LongAdder committed = new LongAdder();

		final LongAdder consumed = new LongAdder();

		final LongAdder duplicates = new LongAdder();

		final LongAdder outOfOrder = new LongAdder();

		volatile long lastConsumedAt;

		Phase(int id) {
			this.id = id;
		}

		int nextEvent() {
			return next.getAndIncrement();
		}

		void committed(int n) {
			committedAt[n] = System.nanoTime();
			committed.increment();
		}

		void consumed(int n, boolean inOrder) {
			long now = System.nanoTime();
			if (deliveries.getAndIncrement(n) == 0) {
				consumedAt[n] = now;
				if (!inOrder) {
					outOfOrder.increment();
				}
				lastConsumedAt = now;
				consumed.increment();
			}
			else {
				duplicates.increment();
			}
		}

		/** Commit-to-consume latencies in microseconds of the events consumed so far, sorted. */
		long[] latenciesMicros() {
			int count = next.get();
			long[] result = new long[count];
			int size = 0;
			for (int n = 0; n < count; n++) {
				if (committedAt[n] != 0 && consumedAt[n] != 0) {
					result[size++] = Math.max(0, (consumedAt[n] - committedAt[n]) / 1_000);
				}
			}
			long[] sorted = Arrays.copyOf(result, size);
			Arrays.sort(sorted);
			return sorted;
		}
	}

	static double percentileMillis(long[] sortedMicros, double p) {
		if (sortedMicros.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
		return sortedMicros[Math.max(0, Math.min(index, sortedMicros.length - 1))] / 1000.0;
	}
}
