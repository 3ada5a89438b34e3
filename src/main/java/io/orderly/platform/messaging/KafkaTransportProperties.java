package io.orderly.platform.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka transport ({@code orderly.messaging.transport=kafka}); the broker's address and its
 * security are Spring Boot's {@code spring.kafka.*} properties.
 *
 * @param partitions        partitions of each topic the platform creates (the most consumers of one
 *                          subscription that can work at once)
 * @param replicationFactor replicas of each topic it creates; -1 leaves it to the broker's default
 * @param topicPrefix       put before every topic name (one cluster shared by several deployments)
 * @param publishBatchSize  log rows sent to the broker per batch
 * @param publisherLease    how long the publishing process holds the log before another may take over
 * @param sendTimeout       longest wait for the broker to acknowledge a batch (or to be reachable at all)
 * @param pollSlice         longest single poll of the broker by a consumer: the consumer-protocol client
 *                          before Kafka 4.4 (KAFKA-20780) may sit out news until its poll ends
 */
@ConfigurationProperties("orderly.messaging.kafka")
public record KafkaTransportProperties(
		@DefaultValue("6") int partitions,
		@DefaultValue("-1") short replicationFactor,
		@DefaultValue("") String topicPrefix,
		@DefaultValue("1000") int publishBatchSize,
		@DefaultValue("15s") Duration publisherLease,
		@DefaultValue("10s") Duration sendTimeout,
		@DefaultValue("100ms") Duration pollSlice) {

	public KafkaTransportProperties {
		if (partitions < 1 || publishBatchSize < 1 || !pollSlice.isPositive()) {
			throw new IllegalArgumentException("orderly.messaging.kafka partitions, publish-batch-size and poll-slice must be positive");
		}
		if (publisherLease.compareTo(sendTimeout) <= 0) {
			throw new IllegalArgumentException(
					"orderly.messaging.kafka.publisher-lease must be longer than send-timeout, or a slow batch loses its lease");
		}
	}
}
