package io.orderly.notification;

import io.orderly.platform.Foreground;
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

	/** The API's callers pressing or not, as a test says (the admission line's own signal is tested apart). */
	@Bean
	@Primary
	PressingCallers pressingCallers() {
		return new PressingCallers();
	}

	static final class PressingCallers implements Foreground {

		private volatile boolean pressing;

		void press() {
			pressing = true;
		}

		void ease() {
			pressing = false;
		}

		@Override
		public boolean busy() {
			return pressing;
		}
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
