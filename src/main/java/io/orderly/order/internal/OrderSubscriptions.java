package io.orderly.order.internal;

import java.time.Clock;

import io.orderly.payment.PaymentPending;
import io.orderly.payment.PaymentRefunded;
import io.orderly.payment.RefundIssued;
import io.orderly.payment.RefundRefused;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Subscription;
import io.orderly.platform.saga.Sagas;
import io.orderly.shipping.ShipmentDelivered;
import io.orderly.shipping.ShipmentDispatched;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("order")
class OrderSubscriptions {

	/**
	 * A dispatched shipment makes its order no longer cancellable (and is on its timeline, as its
	 * delivery is); a
	 * payment waiting for the provider shows in the order's progress; the payment module's
	 * answers to refunds, and a cancellation's full refund, make the order's refunded total.
	 */
	@Bean
	Subscription orderOnShipping(Orders orders, AfterCheckout afterCheckout, Sagas sagas, Clock clock) {
		return Subscription.named("order")
			.on(ShipmentDispatched.class, (event, message) -> {
				if (orders.dispatched(event.orderId(), clock.instant())) {
					sagas.note(event.orderId(), "DISPATCHED", event.shipmentId());
				}
			})
			.on(ShipmentDelivered.class, (event, message) -> {
				if (orders.delivered(event.orderId(), event.deliveredAt())) {
					sagas.note(event.orderId(), "DELIVERED", event.shipmentId());
				}
			})
			.on(PaymentPending.class, (event, message) -> orders.paymentPending(event.orderId(), event.until()))
			.on(RefundIssued.class, (reply, message) -> afterCheckout.issued(reply))
			.on(RefundRefused.class, (reply, message) -> afterCheckout.refused(reply))
			.on(PaymentRefunded.class, (reply, message) -> afterCheckout.reversed(reply))
			.build();
	}
}
