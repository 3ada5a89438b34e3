package io.orderly.platform.messaging;

/**
 * The test event: {@code sequence} numbers the events of one subject in the order they were
 * published; {@code poison} makes the recorder fail while poison is not cured.
 */
@MessageType("orderly.test.Recorded.v1")
public record Recorded(String subject, long sequence, boolean poison) {
}
