package io.orderly.spike.messaging;

/**
 * The event of the spike. {@code phase} tells measured events from warm-up ones, {@code n}
 * indexes the probe's arrays, {@code seq} is the aggregate's version after the change.
 */
public record SpikeEvent(int phase, int n, int key, long seq) {
}
