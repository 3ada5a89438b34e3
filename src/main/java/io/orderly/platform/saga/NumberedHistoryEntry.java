package io.orderly.platform.saga;

/** A saga history entry with its id, which grows with every entry of every saga (a resumption point). */
public record NumberedHistoryEntry(long id, SagaHistoryEntry entry) {
}
