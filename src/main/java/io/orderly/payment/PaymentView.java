package io.orderly.payment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An order's payment as an operator sees it: our record, every ledger entry booked for it and
 * the balance per ledger account.
 *
 * @param paymentId          our id for the payment (the one the saga got)
 * @param pspAuthorizationId the provider's authorization id, if one is known
 * @param amountMinor        the authorized (or requested) amount; null when cancelled before any
 * @param declineReason      the reason given to the saga when the payment was declined
 * @param watchUntil         until when the provider is still asked about a payment answered as
 *                           declined without its word for it; null when not watched
 * @param balances           per ledger account, the sum of the entries (debits positive)
 * @param refunds            the refunds asked for by name (goodwill, partial, returns), oldest
 *                           first; a cancelled order's full refund is not one of them
 */
public record PaymentView(String orderId, String paymentId, String customerId, String pspAuthorizationId,
		PaymentStatus status, Long amountMinor, String currency, long capturedMinor, long refundedMinor,
		String declineReason, Instant watchUntil, Instant createdAt, Instant updatedAt, List<LedgerEntry> ledger,
		Map<String, Long> balances, List<Refund> refunds) {

	public PaymentView {
		ledger = List.copyOf(ledger);
		balances = Map.copyOf(balances);
		refunds = List.copyOf(refunds);
	}

	/**
	 * A named refund: {@code status} PENDING (the provider has not answered yet; it is asked again
	 * until it does, within {@code orderly.payment.refund-retry-limit}), SUCCEEDED, REFUSED (with
	 * {@code refusedReason}), or UNANSWERED (no answer within the limit: not asked again, as the
	 * provider may have forgotten its key; an operator looks it up there; {@code refusedReason} says so).
	 */
	public record Refund(String id, long amountMinor, String reason, String status, String refusedReason,
			int attempts, Instant createdAt, Instant updatedAt) {
	}

	/**
	 * One ledger entry: {@code amountMinor} is positive for a debit, negative for a credit; the
	 * entries of one {@code transactionId} sum to zero.
	 *
	 * @param kind AUTHORIZE, VOID, CAPTURE or REFUND
	 */
	public record LedgerEntry(String transactionId, String kind, String account, long amountMinor, String currency,
			Instant createdAt) {
	}
}
