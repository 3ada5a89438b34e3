package io.orderly.notification;

import io.orderly.platform.MutableClock;
import io.orderly.platform.messaging.Subscription;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

@TestConfiguration(proxyBeanMethods = false)
class NotificationTestConfiguration {

	@Bean
	@Primary
	MutableClock mutableClock() {
		return new MutableClock();
	}

	@Bean
	NotificationReplies notificationReplies() {
		return new NotificationReplies();
	}

	@Bean
	Subscription notificationRepliesSubscription(NotificationReplies replies) {
		return replies.subscription();
	}
}
