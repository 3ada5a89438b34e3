package io.orderly.platform.messaging;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka transport's topics: one per message family (the module a type belongs to:
 * {@code orderly.payment.PaymentAuthorized.v1} goes to {@code orderly.payment}), so that a
 * module's commands, replies and events for one subject (the record key) keep their log order
 * in one partition. Topics are created with the configured partitions before first use.
 */
final class KafkaTopics implements AutoCloseable {

	private final Admin admin;

	private final KafkaTransportProperties properties;

	private final Set<String> known = ConcurrentHashMap.newKeySet();

	KafkaTopics(Admin admin, KafkaTransportProperties properties) {
		this.admin = admin;
		this.properties = properties;
	}

	/** The topic carrying messages of {@code type}. */
	String topicOf(String type) {
		return properties.topicPrefix() + Outbox.familyOf(type);
	}

	/** Creates those of {@code topics} that do not exist yet. */
	void ensure(Collection<String> topics) {
		List<String> missing = topics.stream().distinct().filter(topic -> !known.contains(topic)).toList();
		if (missing.isEmpty()) {
			return;
		}
		Optional<Short> replication = properties.replicationFactor() > 0 ? Optional.of(properties.replicationFactor())
				: Optional.empty();
		var results = admin
			.createTopics(missing.stream().map(t -> new NewTopic(t, Optional.of(properties.partitions()), replication)).toList())
			.values();
		for (var result : results.entrySet()) {
			try {
				result.getValue().get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw new IllegalStateException("Could not create topic " + result.getKey(), ex.getCause());
				}
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException("The broker did not create topic " + result.getKey() + " in time", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			known.add(result.getKey());
		}
	}

	/** Whether the broker answers within {@code timeoutMillis}. */
	boolean reachable(long timeoutMillis) {
		try {
			admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions().timeoutMs((int) timeoutMillis))
				.clusterId().get(timeoutMillis, TimeUnit.MILLISECONDS);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		admin.close(java.time.Duration.ofSeconds(2));
	}
}
