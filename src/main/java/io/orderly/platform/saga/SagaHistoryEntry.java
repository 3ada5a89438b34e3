package io.orderly.platform.saga;

import java.time.Instant;

/**
 * One thing that happened to a saga: {@code kind} is STARTED, COMMAND, REPLY, LATE_REPLY,
 * TIMEOUT, COMPENSATION, COMPENSATION_FAILED, COMPENSATION_REFUSED, CANCELLATION_REFUSED,
 * RESUMED, NEEDS_ATTENTION, RETRY, RESOLVED, CANCEL, COMPLETED or COMPENSATED; {@code detail} names the message type or the reason.
 */
public record SagaHistoryEntry(Instant at, String kind, String step, String detail) {
}
