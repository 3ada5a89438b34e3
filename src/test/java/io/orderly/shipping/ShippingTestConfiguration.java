package io.orderly.shipping;

import io.orderly.platform.messaging.Subscription;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

@TestConfiguration(proxyBeanMethods = false)
class ShippingTestConfiguration {

	@Bean
	ShippingReplies shippingReplies() {
		return new ShippingReplies();
	}

	@Bean
	Subscription shippingRepliesSubscription(ShippingReplies replies) {
		return replies.subscription();
	}
}
