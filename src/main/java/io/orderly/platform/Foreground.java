package io.orderly.platform;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether the API's callers press on this process now. Work nobody is waiting for (a marketing
 * broadcast to a hundred thousand) gives way while they do: on two cores, a broadcast sending as
 * fast as its providers take it put checkout's accept p99 from 0.4 s to 4.9 s.
 */
public interface Foreground {

	/** Nothing presses: a process without an API of its own. */
	Foreground NONE = () -> false;

	/** True while the API's callers press on this process (its admission line says when). */
	boolean busy();

	/**
	 * Waits until the callers ease off, at most {@code atMost}; true when they did, false when
	 * the time ran out with them still pressing (or the thread was interrupted: its flag is kept).
	 * Polls every few milliseconds: "busy" ends by a clock as much as by an event.
	 */
	default boolean awaitCalm(Duration atMost) {
		long deadline = System.nanoTime() + atMost.toNanos();
		while (busy()) {
			long left = deadline - System.nanoTime();
			if (left <= 0 || Thread.currentThread().isInterrupted()) {
				return false;
			}
			LockSupport.parkNanos(Math.min(left, Duration.ofMillis(20).toNanos()));
		}
		return true;
	}
}
