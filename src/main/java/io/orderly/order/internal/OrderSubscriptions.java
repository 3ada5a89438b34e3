package io.orderly.order.internal;

import java.time.Clock;

import io.orderly.payment.PaymentPending;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Subscription;
import io.orderly.shipping.ShipmentDispatched;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("order")
class OrderSubscriptions {

	/**
	 * A dispatched shipment makes its order no longer cancellable; a payment waiting for the
	 * provider shows in the order's progress.
	 */
	@Bean
	Subscription orderOnShipping(Orders orders, Clock clock) {
		return Subscription.named("order")
			.on(ShipmentDispatched.class, (event, message) -> orders.dispatched(event.orderId(), clock.instant()))
			.on(PaymentPending.class, (event, message) -> orders.paymentPending(event.orderId(), event.until()))
			.build();
	}
}
