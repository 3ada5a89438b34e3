package io.orderly.spike.messaging;

import org.springframework.core.Ordered;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Small helpers shared by the two sides of the spike. */
final class Tx {

	private Tx() {
	}

	/** Runs {@code action} right after the current transaction commits, before other callbacks. */
	static void afterCommit(Runnable action) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public int getOrder() {
				return Ordered.HIGHEST_PRECEDENCE;
			}

			@Override
			public void afterCommit() {
				action.run();
			}
		});
	}

	static final String CHANGE_AGGREGATE = "update spike_aggregate set version = version + 1 where id = ? returning version";

	/** Returns 0 when a later event of the key was applied already (or this one is a duplicate). */
	static final String APPLY_IN_ORDER = "update spike_projection set last_seq = ? where key = ? and last_seq < ?";

	static final String RECORD_EFFECT = "insert into spike_effect (phase, n) values (?, ?)";
}
