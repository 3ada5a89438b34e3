package io.orderly.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thins out a log line that could otherwise be written thousands of times a second (a request
 * refused under overload, a call refused by an open breaker): each occurrence is counted, and
 * at most once per interval the caller is told how many there were since it last logged.
 */
public final class LogEvery {

	private final long intervalNanos;

	private final AtomicLong count = new AtomicLong();

	private final AtomicLong lastLogged;

	public LogEvery(Duration interval) {
		this.intervalNanos = interval.toNanos();
		this.lastLogged = new AtomicLong(System.nanoTime() - intervalNanos);
	}

	/** Counts one occurrence; returns how many to report now, or 0 when it is not time to log. */
	public long occurred() {
		long counted = count.incrementAndGet();
		long now = System.nanoTime();
		long last = lastLogged.get();
		if (now - last >= intervalNanos && lastLogged.compareAndSet(last, now)) {
			count.addAndGet(-counted);
			return counted;
		}
		return 0;
	}
}
