package io.orderly.platform.messaging;

import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

	@Bean
	AllSubscriptions allSubscriptions(ObjectProvider<Subscription> subscriptions, ObjectProvider<SubscriptionSource> sources) {
		return new AllSubscriptions(subscriptions, sources);
	}

	@Bean
	Notifications notifications(JdbcClient jdbc) {
		return new Notifications(jdbc);
	}

	@Bean
	NotificationListener notificationListener(DataSource dataSource, Notifications notifications) {
		return new NotificationListener(dataSource, notifications);
	}

	@Bean
	RelayWakeUp relayWakeUp(Outbox outbox, Notifications notifications) {
		return new RelayWakeUp(outbox, notifications);
	}

	@Bean
	FaultInjection faultInjection() {
		return FaultInjection.NONE;
	}

	/**
	 * The embedded transport: the log is the outbox table. Another transport provides its own
	 * factory under its {@code orderly.messaging.transport} name; the consumers stay the same.
	 */
	@Bean
	@ConditionalOnProperty(name = "orderly.messaging.transport", havingValue = "database", matchIfMissing = true)
	MessageSource.Factory databaseLog(JdbcTemplate jdbc, MessageCodec codec) {
		return (subscription, worker, types, concurrency, partition) -> new DatabaseLog(jdbc, codec, worker, types,
				concurrency, partition);
	}

	/** The transport in the readiness probe: the database's own health is the {@code db} component's. */
	@Bean
	@ConditionalOnProperty(name = "orderly.messaging.transport", havingValue = "database", matchIfMissing = true)
	HealthIndicator messaging() {
		return () -> Health.up().withDetail("transport", "database").build();
	}

	@Bean
	@ConditionalOnProperty(name = "orderly.messaging.enabled", havingValue = "true", matchIfMissing = true)
	MessagingWorkers messagingWorkers(OutboxRelay relay, ObjectProvider<LogPublisher> publisher,
			AllSubscriptions subscriptions, JdbcTemplate jdbc, TransactionTemplate transactions, MessageCodec codec,
			Clock clock, MessagingProperties properties, MessagingMetrics metrics, FaultInjection faults,
			RelayWakeUp relayWakeUp, Notifications notifications, MessageSource.Factory sources) {
		List<SubscriptionConsumer> consumers = subscriptions.all().stream()
			.flatMap(s -> java.util.stream.IntStream.range(0, s.concurrency())
				.mapToObj(p -> new SubscriptionConsumer(s, p, sources, jdbc, transactions, codec, clock, properties, metrics,
						faults)))
			.toList();
		return new MessagingWorkers(relay, publisher.getIfAvailable(), consumers, properties, clock, relayWakeUp,
				notifications);
	}
}
