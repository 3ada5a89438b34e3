package io.orderly.payment.internal;

import java.util.Locale;

/**
 * The ledger's accounts. Amounts are signed: a debit is positive, a credit negative, and the
 * entries of every transaction sum to zero. Per order, the balances say where its money is:
 * {@link #CUSTOMER_FUNDS_HELD} is what the provider holds on the customer's card (the
 * authorized amount until it is captured or voided), {@link #PSP_RECEIVABLE} what the
 * provider owes us (captured minus refunded), {@link #REVENUE} (a credit) what we earned.
 */
public enum LedgerAccount {

	/** Memo: funds the provider holds on the customer's card for us. Debited on authorization. */
	CUSTOMER_FUNDS_HELD,

	/** The memo's counterpart, so that a hold balances: credited on authorization. */
	CUSTOMER_FUNDS_HELD_OFFSET,

	/** What the provider owes us for captured payments, until it settles. */
	PSP_RECEIVABLE,

	/** Sales; credited on capture, debited on refund. */
	REVENUE;

	/** The account's name in the ledger, as {@code customer_funds_held}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}
}
