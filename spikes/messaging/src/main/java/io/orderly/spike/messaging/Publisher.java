package io.orderly.spike.messaging;

/** Publishes one event for aggregate {@code key} in a transaction that changes that aggregate. */
public interface Publisher {

	void publish(Probe.Phase phase, int key);

	/** Deletes the library's leftover rows (warm-up events) before a measured phase. */
	void clearBacklog();

	/** Rows of the library's store that are not completed yet. */
	long incomplete();
}
