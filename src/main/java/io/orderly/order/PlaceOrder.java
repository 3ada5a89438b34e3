package io.orderly.order;

import java.util.List;

import io.orderly.shipping.ShippingAddress;

/** What a customer orders: the items, where they go and the payment token to charge. */
public record PlaceOrder(String customerId, List<Item> items, ShippingAddress shippingAddress, String paymentToken) {

	public PlaceOrder {
		items = List.copyOf(items);
	}

	/** {@code quantity} units of {@code sku}. */
	public record Item(String sku, int quantity) {
	}
}
