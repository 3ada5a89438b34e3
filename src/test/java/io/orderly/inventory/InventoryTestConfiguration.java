package io.orderly.inventory;

import io.orderly.platform.MutableClock;
import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.messaging.Subscription;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@TestConfiguration(proxyBeanMethods = false)
class InventoryTestConfiguration {

	@Bean
	@Primary
	MutableClock mutableClock() {
		return new MutableClock();
	}

	@Bean
	Replies replies(JdbcClient jdbc, Outbox outbox, TransactionTemplate transactions) {
		return new Replies(jdbc, outbox, transactions);
	}

	@Bean
	Subscription repliesSubscription(Replies replies) {
		return replies.subscription();
	}
}
