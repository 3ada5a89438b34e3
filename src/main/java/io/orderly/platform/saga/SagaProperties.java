package io.orderly.platform.saga;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxCompensationAttempts compensation commands sent for one step before the saga is
 *                                left for an operator (NEEDS_ATTENTION)
 * @param compensationBackoffBase delay before the second attempt; doubles, with jitter
 * @param compensationBackoffMax  longest delay between attempts
 * @param replyConcurrency        partitions applying replies in parallel
 * @param historyRetention        how long the history (the order's timeline) of a saga that ended
 *                                is kept after it ended; the saga's row stays
 */
@ConfigurationProperties("orderly.saga")
public record SagaProperties(
		@DefaultValue("12") int maxCompensationAttempts,
		@DefaultValue("1s") Duration compensationBackoffBase,
		@DefaultValue("5m") Duration compensationBackoffMax,
		@DefaultValue("4") int replyConcurrency,
		@DefaultValue("30d") Duration historyRetention) {
}
