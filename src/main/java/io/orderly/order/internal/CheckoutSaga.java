package io.orderly.order.internal;

import java.time.Duration;

import io.orderly.inventory.CommitStock;
import io.orderly.inventory.ReleaseStock;
import io.orderly.inventory.ReserveStock;
import io.orderly.inventory.StockCommitFailed;
import io.orderly.inventory.StockCommitted;
import io.orderly.inventory.StockReleased;
import io.orderly.inventory.StockReservationFailed;
import io.orderly.inventory.StockReserved;
import io.orderly.payment.AuthorizePayment;
import io.orderly.payment.CancelPayment;
import io.orderly.payment.CapturePayment;
import io.orderly.payment.PaymentAuthorized;
import io.orderly.payment.PaymentCancellationFailed;
import io.orderly.payment.PaymentCaptureFailed;
import io.orderly.payment.PaymentCaptured;
import io.orderly.payment.PaymentDeclined;
import io.orderly.payment.PaymentRefunded;
import io.orderly.payment.PaymentVoided;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.saga.SagaDefinition;
import io.orderly.shipping.CancelShipment;
import io.orderly.shipping.CreateShipment;
import io.orderly.shipping.ShipmentCancellationFailed;
import io.orderly.shipping.ShipmentCancelled;
import io.orderly.shipping.ShipmentCreated;
import io.orderly.shipping.ShipmentCreationFailed;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The checkout saga (DESIGN.md section 4). Capture has no compensation of its own: the
 * payment's compensation refunds a capture. Commit likewise: releasing stock gives back
 * units that were already sold. Creating the shipment is the point of no return: once it has
 * been dispatched, a cancel is refused (the order stays confirmed, and says why) instead of
 * undoing the payment and the stock of goods that have left.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("order")
class CheckoutSaga {

	static final String NAME = "checkout";

	/**
	 * Every step has {@code step-deadline}; authorizing and capturing have
	 * {@code payment-deadline}, longer than the payment module's longest wait for a provider that
	 * is down ({@code orderly.payment.pending.max-wait}, 15 minutes), so an outage cancels an order
	 * with {@code payment_unavailable}, not {@code timeout}, and only if it outlasts the wait.
	 */
	@Bean
	SagaDefinition<Checkout> checkout(Orders orders, OrderBacklog backlog,
			@Value("${orderly.order.step-deadline:30s}") Duration stepDeadline,
			@Value("${orderly.order.payment-deadline:20m}") Duration paymentDeadline,
			@Value("${orderly.payment.pending.max-wait:15m}") Duration paymentMaxWait) {
		if (paymentDeadline.compareTo(paymentMaxWait.plus(stepDeadline)) < 0) {
			throw new IllegalStateException("orderly.order.payment-deadline (" + paymentDeadline
					+ ") must be at least orderly.payment.pending.max-wait (" + paymentMaxWait
					+ ") plus orderly.order.step-deadline (" + stepDeadline
					+ "), or an outage would cancel orders for a timeout before their payment gives up waiting");
		}
		return SagaDefinition.named(NAME, Checkout.class)
			.deadlinePerStep(stepDeadline)
			.step("reserve-stock")
				.invoke(c -> new ReserveStock(c.orderId(),
						c.lines().stream().map(l -> new ReserveStock.Line(l.sku(), l.quantity())).toList()))
				.onReply(StockReserved.class, (c, reply) -> c)
				.onFailure(StockReservationFailed.class, StockReservationFailed::reason)
				.compensateWith(c -> new ReleaseStock(c.orderId()), StockReleased.class)
			.step("authorize-payment")
				.invoke(c -> new AuthorizePayment(c.orderId(), c.customerId(), c.totalMinor(), c.currency(),
						c.paymentToken()))
				.onReply(PaymentAuthorized.class, (c, reply) -> c.withPayment(reply.paymentId()))
				.onFailure(PaymentDeclined.class, PaymentDeclined::reason)
				.compensateWith(c -> new CancelPayment(c.orderId()), PaymentVoided.class, PaymentRefunded.class)
				.compensationFailsOn(PaymentCancellationFailed.class)
				.deadline(paymentDeadline)
			.step("create-shipment")
				.invoke(c -> new CreateShipment(c.orderId(), c.address(),
						c.lines().stream().map(l -> new CreateShipment.Item(l.sku(), l.quantity())).toList()))
				.onReply(ShipmentCreated.class, (c, reply) -> c.withShipment(reply.shipmentId()))
				.onFailure(ShipmentCreationFailed.class, reply -> "shipment_failed")
				.compensateWith(c -> new CancelShipment(c.orderId()), ShipmentCancelled.class)
				// The point of no return: a shipment that left cannot be called back, and the cancel is refused.
				.compensationRefusedWhen(ShipmentCancellationFailed.class,
						reply -> ShipmentCancellationFailed.ALREADY_DISPATCHED.equals(reply.reason()) ? reply.reason() : null)
			.step("capture-payment")
				.invoke(c -> new CapturePayment(c.orderId()))
				.onReply(PaymentCaptured.class, (c, reply) -> c)
				.onFailure(PaymentCaptureFailed.class, reply -> "payment_failed")
				.deadline(paymentDeadline)
			.step("commit-stock")
				.invoke(c -> new CommitStock(c.orderId()))
				.onReply(StockCommitted.class, (c, reply) -> c)
				.onFailure(StockCommitFailed.class, reply -> "out_of_stock")
			.onCompleted((id, c) -> {
				orders.confirm(id);
				backlog.completed();
			})
			.onCompensated((id, c, reason) -> {
				orders.cancel(id, reason);
				backlog.completed();
			})
			.onCancellationRefused((id, c, reason) -> orders.cancellationRejected(id, reason))
			.build();
	}
}
