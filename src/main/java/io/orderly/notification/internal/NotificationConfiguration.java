package io.orderly.notification.internal;

import io.orderly.order.OrderCancellationRejected;
import io.orderly.order.OrderCancelled;
import io.orderly.order.OrderConfirmed;
import io.orderly.order.OrderRefunded;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Subscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("notification")
class NotificationConfiguration {

	/** The order events customers hear about; a few statements each, so one worker keeps up. */
	@Bean
	Subscription notificationOnOrders(NotificationManagement notifications) {
		return Subscription.named("notification")
			.on(OrderConfirmed.class, (event, message) -> notifications.on(event))
			.on(OrderCancelled.class, (event, message) -> notifications.on(event))
			.on(OrderCancellationRejected.class, (event, message) -> notifications.on(event))
			.on(OrderRefunded.class, (event, message) -> notifications.on(event))
			.build();
	}
}
