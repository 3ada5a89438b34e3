package io.orderly.payment.internal;

import java.util.List;

/**
 * One money movement of an order and its entries, which sum to zero.
 *
 * <table>
 * <caption>Entries per movement (A authorized, C captured, R refunded; + debit, - credit)</caption>
 * <tr><th>kind</th><th>entries</th></tr>
 * <tr><td>AUTHORIZE</td><td>customer_funds_held +A, customer_funds_held_offset -A</td></tr>
 * <tr><td>VOID</td><td>customer_funds_held -A, customer_funds_held_offset +A</td></tr>
 * <tr><td>CAPTURE</td><td>customer_funds_held -A, customer_funds_held_offset +A (the hold is
 * used up), psp_receivable +C, revenue -C</td></tr>
 * <tr><td>REFUND</td><td>revenue +R, psp_receivable -R</td></tr>
 * </table>
 */
record LedgerTransaction(Kind kind, List<Posting> postings) {

	enum Kind {
		AUTHORIZE, VOID, CAPTURE, REFUND
	}

	/** {@code amountMinor} on {@code account}: positive debits, negative credits. */
	record Posting(LedgerAccount account, long amountMinor) {

		Posting {
			if (amountMinor == 0) {
				throw new IllegalArgumentException("A ledger entry moves money: " + account + " 0");
			}
		}
	}

	LedgerTransaction {
		postings = List.copyOf(postings);
		if (postings.size() < 2) {
			throw new IllegalArgumentException("A ledger transaction has at least two entries");
		}
		long sum = postings.stream().mapToLong(Posting::amountMinor).reduce(0, Math::addExact);
		if (sum != 0) {
			throw new IllegalArgumentException(kind + " does not balance: its entries sum to " + sum);
		}
	}

	static LedgerTransaction authorize(long amountMinor) {
		return new LedgerTransaction(Kind.AUTHORIZE, List.of(
				new Posting(LedgerAccount.CUSTOMER_FUNDS_HELD, amountMinor),
				new Posting(LedgerAccount.CUSTOMER_FUNDS_HELD_OFFSET, -amountMinor)));
	}

	static LedgerTransaction voidHold(long amountMinor) {
		return new LedgerTransaction(Kind.VOID, List.of(
				new Posting(LedgerAccount.CUSTOMER_FUNDS_HELD, -amountMinor),
				new Posting(LedgerAccount.CUSTOMER_FUNDS_HELD_OFFSET, amountMinor)));
	}

	static LedgerTransaction capture(long heldMinor, long capturedMinor) {
		return new LedgerTransaction(Kind.CAPTURE, List.of(
				new Posting(LedgerAccount.CUSTOMER_FUNDS_HELD, -heldMinor),
				new Posting(LedgerAccount.CUSTOMER_FUNDS_HELD_OFFSET, heldMinor),
				new Posting(LedgerAccount.PSP_RECEIVABLE, capturedMinor),
				new Posting(LedgerAccount.REVENUE, -capturedMinor)));
	}

	static LedgerTransaction refund(long amountMinor) {
		return new LedgerTransaction(Kind.REFUND, List.of(
				new Posting(LedgerAccount.REVENUE, amountMinor),
				new Posting(LedgerAccount.PSP_RECEIVABLE, -amountMinor)));
	}
}
