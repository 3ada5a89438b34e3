package io.orderly.platform.messaging;

/**
 * Sends the log, as the relay sequenced it, on to a message broker, for transports whose
 * consumers read the broker rather than the log.
 */
interface LogPublisher {

	/**
	 * Publishes the next batch if this process may (one process at a time does).
	 *
	 * @return whether a full batch went out, so more may be waiting
	 */
	boolean publishOnce();

	/** The publishing thread ends: releases the broker connection. */
	default void close() {
	}
}
