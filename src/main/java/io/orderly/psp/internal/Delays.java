package io.orderly.psp.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.SmartLifecycle;

/**
 * The waits of injected latency and timeouts. Requests wait on virtual threads, so a hang
 * costs no platform thread; a reset of the faults or a shutdown releases every waiter at once
 * (a shutdown must not wait 30 s for simulated hangs).
 */
class Delays implements SmartLifecycle {

	private final AtomicReference<CompletableFuture<Void>> release = new AtomicReference<>(new CompletableFuture<>());

	private final AtomicInteger waiting = new AtomicInteger();

	private volatile boolean running;

	/**
	 * Waits for {@code duration}, or less when released.
	 *
	 * @return whether the whole duration passed
	 */
	boolean await(Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return true;
		}
		CompletableFuture<Void> released = release.get();
		if (!running) {
			return false;
		}
		waiting.incrementAndGet();
		try {
			released.get(duration.toMillis(), TimeUnit.MILLISECONDS);
			return false;
		}
		catch (TimeoutException ex) {
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			return false;
		}
		finally {
			waiting.decrementAndGet();
		}
	}

	/** Ends every wait in progress. */
	void releaseAll() {
		release.getAndSet(new CompletableFuture<>()).complete(null);
	}

	/** Requests waiting right now. */
	int waiting() {
		return waiting.get();
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		releaseAll();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		// Stops before the web server's graceful shutdown waits for requests to finish.
		return Integer.MAX_VALUE;
	}
}
