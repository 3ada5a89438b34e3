package io.orderly.payment;

import java.util.Optional;

import io.orderly.payment.internal.Ledger;
import io.orderly.payment.internal.Payment;
import io.orderly.payment.internal.Payments;
import io.orderly.payment.internal.RefundViews;
import io.orderly.platform.ConditionalOnModule;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The payment module's query API: an order's payment with its ledger, for operators. */
@Service
@ConditionalOnModule("payment")
public class PaymentManagement {

	private final Payments payments;

	private final Ledger ledger;

	private final RefundViews refunds;

	PaymentManagement(Payments payments, Ledger ledger, RefundViews refunds) {
		this.payments = payments;
		this.ledger = ledger;
		this.refunds = refunds;
	}

	@Transactional(readOnly = true)
	public Optional<PaymentView> find(String orderId) {
		return payments.find(orderId).map(this::view);
	}

	private PaymentView view(Payment p) {
		return new PaymentView(p.orderId(), p.paymentId(), p.customerId(), p.pspAuthorizationId(), p.status(),
				p.amountMinor(), p.currency(), p.capturedMinor(), p.refundedMinor(), p.declineReason(), p.watchUntil(),
				p.createdAt(), p.updatedAt(), ledger.entriesOf(p.orderId()), ledger.balancesOf(p.orderId()),
				refunds.ofOrder(p.orderId()));
	}
}
