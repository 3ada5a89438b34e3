package io.orderly.order.internal;

import java.util.List;

import io.orderly.order.OrderLine;
import io.orderly.shipping.ShippingAddress;

/** The checkout saga's data: what it needs to send each command, and what the replies told it. */
record Checkout(String orderId, String customerId, List<OrderLine> lines, long totalMinor, String currency,
		ShippingAddress address, String paymentToken, String paymentId, String shipmentId) {

	Checkout withPayment(String paymentId) {
		return new Checkout(orderId, customerId, lines, totalMinor, currency, address, paymentToken, paymentId,
				shipmentId);
	}

	Checkout withShipment(String shipmentId) {
		return new Checkout(orderId, customerId, lines, totalMinor, currency, address, paymentToken, paymentId,
				shipmentId);
	}
}
