package io.orderly.payment.internal;

import java.util.List;

import io.orderly.payment.PaymentView;
import io.orderly.platform.ConditionalOnModule;

import org.springframework.stereotype.Component;

/** An order's named refunds as {@link PaymentView} shows them. */
@Component
@ConditionalOnModule("payment")
public class RefundViews {

	private final Refunds refunds;

	RefundViews(Refunds refunds) {
		this.refunds = refunds;
	}

	public List<PaymentView.Refund> ofOrder(String orderId) {
		return refunds.ofOrder(orderId)
			.stream()
			.map(r -> new PaymentView.Refund(r.id(), r.amountMinor(), r.reason(), r.status().name(), r.refusedReason(),
					r.attempts(), r.createdAt(), r.updatedAt()))
			.toList();
	}
}
