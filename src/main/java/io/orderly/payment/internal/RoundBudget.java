package io.orderly.payment.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many due calls a round of retries may make ({@link ProviderCalls}, {@link RefundCalls}):
 * it starts at one; a full round in which the provider answered most calls doubles it (up to
 * {@code max}), one in which it answered no more than it failed halves it, and it falls back to
 * one when the provider could not be reached at all. A provider that has just come back is not
 * met by the whole backlog at once.
 */
final class RoundBudget {

	private final AtomicInteger budget = new AtomicInteger(1);

	private final int max;

	RoundBudget(int max) {
		this.max = max;
	}

	/** The calls the next round may make. */
	int allowed() {
		return budget.get();
	}

	/** After a round that was allowed {@code allowed} calls: what the provider did with them. */
	void afterRound(int allowed, int answered, int unanswered, boolean away) {
		if (away) {
			// Down, or the breaker is open: probe with one call next round.
			budget.set(1);
		}
		else if (answered + unanswered >= allowed && answered > unanswered) {
			// Additive increase would be too slow after a long outage.
			budget.set(Math.min(allowed * 2, max));
		}
		else if (unanswered >= answered && unanswered > 0) {
			budget.set(Math.max(1, allowed / 2));
		}
	}
}
