package io.orderly.platform.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The kernel's numbers at /actuator/prometheus: outbox backlog, commit-to-publish and
 * commit-to-consume latency, consumer lag, retries and dead letters.
 */
@Component
class MessagingMetrics {

	private final MeterRegistry registry;

	private final AtomicLong outboxBacklog = new AtomicLong();

	private final AtomicLong deadLettersPending = new AtomicLong();

	private final Timer publishLatency;

	private final Map<String, PerSubscription> subscriptions = new ConcurrentHashMap<>();

	MessagingMetrics(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("orderly.outbox.backlog", outboxBacklog, AtomicLong::get)
			.description("Outbox rows committed but not yet published to the log")
			.register(registry);
		Gauge.builder("orderly.messaging.dead.letters.pending", deadLettersPending, AtomicLong::get)
			.description("Dead letters waiting for an operator")
			.register(registry);
		this.publishLatency = Timer.builder("orderly.messaging.publish.latency")
			.description("From outbox insert to log position (commit to publish)")
			.publishPercentileHistogram()
			.register(registry);
	}

	void outboxBacklog(long rows) {
		outboxBacklog.set(rows);
	}

	void deadLettersPending(long count) {
		deadLettersPending.set(count);
	}

	void published(long latencyMicros) {
		publishLatency.record(Math.max(latencyMicros, 0), TimeUnit.MICROSECONDS);
	}

	private final Map<String, AtomicLong> brokerLags = new ConcurrentHashMap<>();

	private Timer brokerPublishLatency;

	private Counter brokerPublished;

	private final AtomicLong brokerBacklog = new AtomicLong();

	/** The Kafka transport's meters, registered only when it runs. */
	void registerBroker() {
		brokerPublishLatency = Timer.builder("orderly.messaging.broker.publish.latency")
			.description("From outbox insert to acknowledged by the broker")
			.publishPercentileHistogram()
			.register(registry);
		brokerPublished = Counter.builder("orderly.messaging.broker.published")
			.description("Log messages the broker acknowledged")
			.register(registry);
		Gauge.builder("orderly.messaging.broker.backlog", brokerBacklog, AtomicLong::get)
			.description("Messages sequenced in the log and not yet acknowledged by the broker")
			.register(registry);
	}

	void brokerPublishLatency(Duration sinceCommit) {
		brokerPublishLatency.record(sinceCommit.isNegative() ? Duration.ZERO : sinceCommit);
	}

	void brokerPublished(int messages) {
		brokerPublished.increment(messages);
	}

	void brokerBacklog(long messages) {
		brokerBacklog.set(Math.max(messages, 0));
	}

	/** A consumer group's lag on one partition, as its consumer last saw it. */
	void brokerLag(String group, String topic, int partition, long lag) {
		brokerLags.computeIfAbsent(group + "|" + topic + "|" + partition, key -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder("orderly.messaging.broker.consumer.lag", value, AtomicLong::get)
				.description("Messages of a topic partition the subscription's consumer group has not applied yet")
				.tags("subscription", group, "topic", topic, "partition", Integer.toString(partition))
				.register(registry);
			return value;
		}).set(Math.max(lag, 0));
	}

	PerSubscription subscription(String name, int partition) {
		return subscriptions.computeIfAbsent(name + "#" + partition, key -> new PerSubscription(name, partition));
	}

	final class PerSubscription {

		private final Timer consumeLatency;

		private final Counter consumed;

		private final Counter duplicates;

		private final Counter retries;

		private final Counter deadLettered;

		private final AtomicLong lag = new AtomicLong();

		private PerSubscription(String name, int partition) {
			Tags tags = Tags.of("subscription", name, "partition", Integer.toString(partition));
			consumeLatency = Timer.builder("orderly.messaging.consume.latency")
				.description("From outbox insert to applied by the subscriber (commit to consume)")
				.tags(tags)
				.publishPercentileHistogram()
				.register(registry);
			consumed = Counter.builder("orderly.messaging.consumed").tags(tags).register(registry);
			duplicates = Counter.builder("orderly.messaging.duplicates")
				.description("Deliveries dropped by the inbox because they were applied before")
				.tags(tags)
				.register(registry);
			retries = Counter.builder("orderly.messaging.retries").tags(tags).register(registry);
			deadLettered = Counter.builder("orderly.messaging.dead.letters").tags(tags).register(registry);
			Gauge.builder("orderly.messaging.consumer.lag", lag, AtomicLong::get)
				.description("Log positions the subscriber has not consumed yet")
				.tags(tags)
				.register(registry);
		}

		void consumed(Duration sinceCommit) {
			consumed.increment();
			consumeLatency.record(sinceCommit.isNegative() ? Duration.ZERO : sinceCommit);
		}

		void duplicate() {
			duplicates.increment();
		}

		void retried() {
			retries.increment();
		}

		void deadLettered() {
			deadLettered.increment();
		}

		void lag(long positions) {
			lag.set(Math.max(positions, 0));
		}
	}
}
