package io.orderly.platform.messaging;

import java.util.List;
import java.util.Set;

/**
 * The transport's half of a subscription consumer: where its messages come from and how far it
 * has consumed them. Every call runs in the consumer's round transaction, so that the effects of
 * a batch, its inbox entries and its acknowledgement commit together or not at all. The other
 * half, {@link SubscriptionConsumer}, is shared by every transport: it applies a batch (inbox,
 * parking per subject, retries, dead letters) and knows nothing of where the batch came from.
 *
 * <p>One instance per consumer (a subscription, or one partition of it), used by one thread.
 */
interface MessageSource {

	/** Opens the source of one consumer of {@code subscription}: {@code worker} names it, reading {@code types} in its partition. */
	@FunctionalInterface
	interface Factory {

		MessageSource open(String subscription, String worker, Set<String> types, int concurrency, int partition);

		/**
		 * Whether the transport gives each of a subscription's partitions the subjects that hash to
		 * it for good (the database log does): its messages are then parked, retried and replayed
		 * per partition. A broker moves partitions between processes, so there they are kept per
		 * subscription, where any of its consumers sees and retries them.
		 */
		default boolean partitionsBySubjectHash() {
			return true;
		}
	}

	/**
	 * Claims this consumer's position for the round's transaction, so one process at a time
	 * works for it; false when another one holds it now.
	 */
	boolean claim();

	/** The next messages after the claimed position, of this consumer's types and partition, in log order. */
	List<Message> read(int limit);

	/**
	 * Moves the claimed position past {@code batch} (what {@link #read} returned for
	 * {@code limit}: a short batch means everything up to what the log held is consumed).
	 *
	 * @return the messages of the log still ahead of this consumer (its lag)
	 */
	long acknowledge(List<Message> batch, int limit);

	/** The round's transaction committed: what it acknowledged is now this consumer's position. */
	void committed();

	/** Whether this consumer has surely read up to {@code announcedHead} already (-1: not known). */
	boolean readUpTo(long announcedHead);

	/**
	 * Whether the transport delivers by being polled (a broker's consumer) rather than by wake-ups
	 * from the relay's announcements: its consumer thread then waits in {@link #fetch}.
	 */
	default boolean pulls() {
		return false;
	}

	/**
	 * Waits up to {@code wait} for messages and keeps them for the next round; outside any
	 * transaction, so no database connection is held while the broker is asked.
	 *
	 * @return whether messages are waiting to be read
	 */
	default boolean fetch(java.time.Duration wait) {
		throw new UnsupportedOperationException("this transport is not polled");
	}

	/** Positions may have been moved in the store (an operator rewound them): read them again before the next round. */
	default void reload() {
	}

	/** Ends a {@link #fetch} waiting now, or the next one, at once; called from another thread (stopping). */
	default void wakeUp() {
	}

	/** The consumer thread ends: releases what the source holds (a broker connection, group membership). */
	default void close() {
	}
}
