package io.orderly.platform.db;

import java.util.function.IntUnaryOperator;

/**
 * A purge of rows that grew with traffic, done in batches so that no statement holds many locks
 * for long, and at most a few batches per run so that a backlog is worked off over several runs
 * rather than in one long one.
 */
public final class BatchedPurge {

	/** Rows per statement. */
	public static final int BATCH = 5_000;

	/** Statements per run. */
	public static final int MAX_BATCHES = 20;

	private BatchedPurge() {
	}

	/**
	 * Runs {@code deleteBatch} (given the batch size, returning how many rows it deleted) until a
	 * batch comes back short or {@link #MAX_BATCHES} ran; returns how many rows were deleted.
	 */
	public static int run(IntUnaryOperator deleteBatch) {
		int purged = 0;
		for (int batch = 0; batch < MAX_BATCHES; batch++) {
			int deleted = deleteBatch.applyAsInt(BATCH);
			purged += deleted;
			if (deleted < BATCH) {
				break;
			}
		}
		return purged;
	}
}
