package io.orderly.payment.internal;

import java.time.Clock;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.stereotype.Component;

/**
 * Writes down what the provider reports about an order's authorization: the payment's status
 * and amounts, and every movement it implies that is not booked yet. The provider's answer is
 * the truth; learned late (after a lost answer) it may imply several movements at once, as an
 * authorization and its void.
 */
@Component
@ConditionalOnModule("payment")
class PaymentRecorder {

	private final Payments payments;

	private final Ledger ledger;

	private final Clock clock;

	PaymentRecorder(Payments payments, Ledger ledger, Clock clock) {
		this.payments = payments;
		this.ledger = ledger;
		this.clock = clock;
	}

	/** A known payment, as the provider reports it now. */
	Payment record(Payment payment, ProviderAuthorization at) {
		Payment updated = payment.adopt(at, clock.instant());
		payments.update(updated);
		book(updated, at);
		return updated;
	}

	/** A payment that changed without the provider (a zero amount, or a watch that ended). */
	Payment record(Payment updated) {
		payments.update(updated);
		return updated;
	}

	private void book(Payment payment, ProviderAuthorization at) {
		if (at.declined() || at.amountMinor() == 0) {
			return;
		}
		String order = payment.orderId();
		ledger.post(order, at.currency(), at.id(), LedgerTransaction.authorize(at.amountMinor()));
		if (at.capturedMinor() > 0) {
			ledger.post(order, at.currency(), at.id(), LedgerTransaction.capture(at.amountMinor(), at.capturedMinor()));
		}
		if (at.voided()) {
			ledger.post(order, at.currency(), at.id(), LedgerTransaction.voidHold(at.amountMinor()));
		}
		if (at.refundedMinor() > 0) {
			ledger.refundedUpTo(order, at.currency(), at.id(), at.refundedMinor());
		}
	}
}
