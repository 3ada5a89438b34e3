package io.orderly.bench;

import io.orderly.platform.messaging.MessageType;

/** A small event, about the size of a real order event. */
@MessageType("orderly.bench.BenchEvent.v1")
record BenchEvent(String subject, long sequence, long publishedNanos, String padding) {
}
