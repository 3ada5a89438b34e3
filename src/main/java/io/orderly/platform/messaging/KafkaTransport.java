package io.orderly.platform.messaging;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The distributed transport, {@code orderly.messaging.transport=kafka}: the relay still
 * sequences committed outbox rows in the database; {@link KafkaPublisher} sends them on to the
 * broker, and every subscription reads them from its consumer group through {@link KafkaLog}.
 * The modules' code ({@link Outbox#publish}, {@link Subscription}) is the same on both transports.
 * The broker's address and security come from Spring Boot's {@code spring.kafka.*}; what the
 * transport's guarantees need (idempotent producer, {@code acks=all}, no automatic offset commits)
 * is set here and cannot be configured away.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orderly.messaging.transport", havingValue = "kafka")
class KafkaTransport {

	/**
	 * The instance works, but a part of it waits: with the broker away, orders are still taken
	 * and their messages wait in the outbox. Ordered between DOWN and UP, answered with 200
	 * ({@code management.endpoint.health.status} in application.yml).
	 */
	static final Status DEGRADED = new Status("DEGRADED", "working; messages wait in the outbox until the broker is back");

	@Bean(destroyMethod = "close")
	KafkaTopics kafkaTopics(KafkaProperties kafka, KafkaTransportProperties properties) {
		return new KafkaTopics(Admin.create(kafka.buildAdminProperties()), properties);
	}

	@Bean
	MessageSource.Factory kafkaLog(KafkaProperties kafka, MessagingProperties messaging, KafkaTransportProperties properties,
			KafkaTopics topics,
			JdbcTemplate jdbc, MessagingMetrics metrics, MessageCodec codec) {
		ConsumerFactory<String, String> consumers = new DefaultKafkaConsumerFactory<>(consumerConfig(kafka, messaging),
				new StringDeserializer(), new StringDeserializer());
		metrics.registerBroker();
		return new MessageSource.Factory() {
			@Override
			public MessageSource open(String subscription, String worker, java.util.Set<String> types, int concurrency,
					int partition) {
				// Prefixed like the topics: deployments sharing a cluster do not join each other's groups.
				return new KafkaLog(subscription, properties.topicPrefix() + subscription, worker, types, consumers, topics,
						jdbc, metrics, codec, properties.pollSlice());
			}

			@Override
			public boolean partitionsBySubjectHash() {
				return false;
			}
		};
	}

	/** Spring Boot's {@code spring.kafka.consumer.*}, and on top what the consumers' guarantees need. */
	static Map<String, Object> consumerConfig(KafkaProperties kafka, MessagingProperties messaging) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		// KIP-848's consumer protocol: the broker assigns partitions incrementally, no stop-the-world rebalance.
		config.putIfAbsent(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		// Every position is sought from the database; one the broker refuses is handled by KafkaLog, never reset blindly.
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, messaging.consumerBatchSize());
		// The publisher's batches are transactions: an aborted one is never read.
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		return config;
	}

	@Bean
	LogPublisher kafkaPublisher(KafkaProperties kafka, KafkaTransportProperties properties, KafkaTopics topics,
			JdbcTemplate jdbc, TransactionTemplate transactions, MessagingMetrics metrics, MessageCodec codec, Clock clock,
			FaultInjection faults) {
		Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
		// One id for every process: the broker fences a publisher that another has taken over from.
		config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.topicPrefix() + "orderly-log-publisher");
		int timeout = (int) properties.sendTimeout().toMillis();
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeout, 5_000));
		config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
		return new KafkaPublisher(jdbc, transactions,
				() -> new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()), topics, properties,
				metrics, codec, clock, faults);
	}

	/**
	 * The broker in the readiness probe: unreachable, the instance reports {@code DEGRADED},
	 * which still answers 200, since orders are taken all the same and wait in the outbox.
	 */
	@Bean
	HealthIndicator messaging(KafkaTopics topics) {
		return () -> topics.reachable(2_000) ? Health.up().withDetail("transport", "kafka").build()
				: Health.status(DEGRADED).withDetail("transport", "kafka")
					.withDetail("reason", "broker unreachable").build();
	}
}
