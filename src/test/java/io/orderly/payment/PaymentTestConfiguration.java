package io.orderly.payment;

import io.orderly.platform.MutableClock;
import io.orderly.platform.messaging.Subscription;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

@TestConfiguration(proxyBeanMethods = false)
public class PaymentTestConfiguration {

	@Bean
	@Primary
	MutableClock mutableClock() {
		return new MutableClock();
	}

	@Bean
	@Primary
	ConsumerCrashes consumerCrashes() {
		return new ConsumerCrashes();
	}

	@Bean
	PaymentReplies paymentReplies() {
		return new PaymentReplies();
	}

	@Bean
	Subscription paymentRepliesRecorder(PaymentReplies replies) {
		return replies.subscription();
	}
}
