package io.orderly.platform.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A message a subscriber failed to apply {@code attempts} times, kept with its error and
 * attempt history until an operator replays or discards it.
 *
 * @param status {@code DEAD} (waiting), {@code REPLAYED} or {@code DISCARDED}
 */
public record DeadLetter(UUID id, String subscription, UUID messageId, long sequence, String type, String source,
		String subject, @JsonRawValue String payload, @JsonRawValue String headers, Instant time, int attempts,
		String lastError, @JsonRawValue String history, String status, Instant deadAt, Instant resolvedAt) {
}
