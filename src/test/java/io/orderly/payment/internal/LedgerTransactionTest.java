package io.orderly.payment.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerTransactionTest {

	@Test
	void everyMovementSumsToZero() {
		for (LedgerTransaction transaction : List.of(LedgerTransaction.authorize(2598), LedgerTransaction.voidHold(2598),
				LedgerTransaction.capture(2598, 2000), LedgerTransaction.refund(2000))) {
			assertThat(transaction.postings().stream().mapToLong(LedgerTransaction.Posting::amountMinor).sum())
				.as(transaction.kind().name())
				.isZero();
		}
	}

	@Test
	void authorizeCaptureAndRefundLeaveNothingHeldAndNothingOwed() {
		Map<LedgerAccount, Long> balances = balances(LedgerTransaction.authorize(500), LedgerTransaction.capture(500, 500));

		assertThat(balances).containsEntry(LedgerAccount.CUSTOMER_FUNDS_HELD, 0L)
			.containsEntry(LedgerAccount.PSP_RECEIVABLE, 500L)
			.containsEntry(LedgerAccount.REVENUE, -500L);

		balances = balances(LedgerTransaction.authorize(500), LedgerTransaction.capture(500, 500),
				LedgerTransaction.refund(500));
		assertThat(balances.values()).containsOnly(0L);
		assertThat(balances(LedgerTransaction.authorize(500), LedgerTransaction.voidHold(500)).values()).containsOnly(0L);
	}

	@Test
	void refusesATransactionThatDoesNotBalance() {
		assertThatThrownBy(() -> new LedgerTransaction(LedgerTransaction.Kind.REFUND,
				List.of(new LedgerTransaction.Posting(LedgerAccount.REVENUE, 500),
						new LedgerTransaction.Posting(LedgerAccount.PSP_RECEIVABLE, -499))))
			.hasMessageContaining("does not balance");
	}

	private static Map<LedgerAccount, Long> balances(LedgerTransaction... transactions) {
		Map<LedgerAccount, Long> balances = new HashMap<>();
		for (LedgerTransaction transaction : transactions) {
			transaction.postings().forEach(p -> balances.merge(p.account(), p.amountMinor(), Long::sum));
		}
		return balances;
	}
}
