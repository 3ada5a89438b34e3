package io.orderly.platform.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the kernel moves messages.
 *
 * @param enabled            run the relay and the subscribers in this process
 * @param relayBatchSize     outbox rows the relay sequences per transaction
 * @param consumerBatchSize  messages a subscriber applies per transaction
 * @param maxAttempts        attempts before a message goes to the dead-letter store
 * @param backoffBase        delay before the second attempt; doubles each attempt, with jitter
 * @param backoffMax         longest delay between attempts
 * @param idleWait           longest wait for a wake-up notification before looking anyway
 * @param inboxRetention     how long applied message ids are kept for deduplication
 * @param logRetention       how long consumed messages stay in the log
 * @param transport          where consumers read messages from ({@link MessageSource}): {@code database},
 *                           the outbox table is the log (one database for every process); {@code kafka},
 *                           the log is sent on to Apache Kafka and read from there ({@link KafkaTransport})
 */
@ConfigurationProperties("orderly.messaging")
public record MessagingProperties(
		@DefaultValue("true") boolean enabled,
		@DefaultValue("1000") int relayBatchSize,
		@DefaultValue("500") int consumerBatchSize,
		@DefaultValue("6") int maxAttempts,
		@DefaultValue("200ms") Duration backoffBase,
		@DefaultValue("60s") Duration backoffMax,
		@DefaultValue("1s") Duration idleWait,
		@DefaultValue("7d") Duration inboxRetention,
		@DefaultValue("7d") Duration logRetention,
		@DefaultValue("database") String transport) {

	/** The transports this build has a {@link MessageSource} for. */
	static final java.util.Set<String> TRANSPORTS = java.util.Set.of("database", "kafka");

	public MessagingProperties {
		if (relayBatchSize < 1 || consumerBatchSize < 1 || maxAttempts < 1) {
			throw new IllegalArgumentException("orderly.messaging batch sizes and max-attempts must be positive");
		}
		if (backoffBase.isNegative() || backoffMax.compareTo(backoffBase) < 0) {
			throw new IllegalArgumentException("orderly.messaging.backoff-max must be >= backoff-base >= 0");
		}
		if (!TRANSPORTS.contains(transport)) {
			throw new IllegalArgumentException(
					"orderly.messaging.transport=" + transport + " is not one this build has; known: " + TRANSPORTS);
		}
	}
}
