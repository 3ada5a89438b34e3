package io.orderly.payment.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** What the rounds of provider calls ({@link ProviderCalls}, {@link RefundCalls}) share. */
final class Attempts {

	private Attempts() {
	}

	/** The outcome of an attempt made on another thread, or {@code failed} if it ended without one. */
	static <T> T outcomeOf(Future<T> future, T failed) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return failed;
		}
		catch (ExecutionException ex) {
			return failed;
		}
	}
}
