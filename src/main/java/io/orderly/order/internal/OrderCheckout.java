package io.orderly.order.internal;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.order.OrderPlaced;
import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.saga.SagaDefinition;
import io.orderly.platform.saga.Sagas;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Stores a new order, announces it and starts its checkout saga, in the caller's transaction. */
@Component
@ConditionalOnModule("order")
public class OrderCheckout {

	private final Orders orders;

	private final Outbox outbox;

	private final Sagas sagas;

	private final SagaDefinition<Checkout> saga;

	OrderCheckout(Orders orders, Outbox outbox, Sagas sagas, SagaDefinition<Checkout> saga) {
		this.orders = orders;
		this.outbox = outbox;
		this.sagas = sagas;
		this.saga = saga;
	}

	@Transactional(propagation = Propagation.MANDATORY)
	public void begin(Orders.Row order, String paymentToken) {
		orders.insert(order);
		outbox.publish(order.id(), new OrderPlaced(order.id(), order.customerId(),
				order.lines().stream().map(l -> new OrderPlaced.Line(l.sku(), l.quantity(), l.unitPriceMinor())).toList(),
				order.totalMinor(), order.currency()));
		sagas.start(saga, order.id(), new Checkout(order.id(), order.customerId(), order.lines(), order.totalMinor(),
				order.currency(), order.address(), paymentToken, null, null));
	}
}
