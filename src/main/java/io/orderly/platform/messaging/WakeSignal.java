package io.orderly.platform.messaging;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Wakes a worker that waits for work; wake-ups while it works are not lost. */
final class WakeSignal {

	private final Semaphore permit = new Semaphore(0);

	void wake() {
		if (permit.availablePermits() == 0) {
			permit.release();
		}
	}

	/** Waits until woken or {@code timeout} passes; true if woken. */
	boolean await(Duration timeout) throws InterruptedException {
		if (permit.tryAcquire(Math.max(timeout.toNanos(), 0), TimeUnit.NANOSECONDS)) {
			permit.drainPermits();
			return true;
		}
		return false;
	}
}
