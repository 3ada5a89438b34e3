package io.orderly.platform.saga;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A saga as stored: its state, the step it is at (or the step being compensated), its data
 * and, once it began compensating, the reason.
 */
public record SagaInstance(String id, String definition, SagaState state, String step, String compensating,
		@JsonRawValue String data, String reason, int attempts, Instant deadlineAt, String lastError,
		Instant createdAt, Instant updatedAt) {
}
