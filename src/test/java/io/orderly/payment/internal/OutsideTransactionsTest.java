package io.orderly.payment.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The architecture check behind "no database connection is held across a provider call": the
 * provider the payment module is given refuses every call made inside a transaction, before it
 * reaches the network, and lets the same call through outside one. Every payment test runs with
 * it, so a path that calls the provider inside a transaction fails them.
 */
class OutsideTransactionsTest {

	private static final ProviderAuthorization AUTHORIZED = new ProviderAuthorization("auth_1", "order-1", "AUTHORIZED",
			null, 100, "EUR", 0, 0);

	/** Counts the calls that reached the provider. */
	private static final class CountingProvider implements PaymentProvider {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public ProviderAuthorization authorize(String key, String reference, long amount, String currency, String token) {
			calls.incrementAndGet();
			return AUTHORIZED;
		}

		@Override
		public ProviderAuthorization capture(String key, String authorizationId, long amount) {
			calls.incrementAndGet();
			return AUTHORIZED;
		}

		@Override
		public ProviderAuthorization voidAuthorization(String key, String authorizationId) {
			calls.incrementAndGet();
			return AUTHORIZED;
		}

		@Override
		public ProviderAuthorization refund(String key, String authorizationId, long amount) {
			calls.incrementAndGet();
			return AUTHORIZED;
		}

		@Override
		public Optional<ProviderAuthorization> find(String authorizationId) {
			calls.incrementAndGet();
			return Optional.of(AUTHORIZED);
		}

		@Override
		public List<ProviderAuthorization> findByReference(String reference) {
			calls.incrementAndGet();
			return List.of(AUTHORIZED);
		}
	}

	/** A transaction manager with no resource: the transaction's bookkeeping is Spring's own, as with JDBC. */
	private static final class BookkeepingOnly extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}
	}

	private final CountingProvider provider = new CountingProvider();

	private final PaymentProvider guarded = new OutsideTransactions(provider);

	private final TransactionTemplate transactions = new TransactionTemplate(new BookkeepingOnly());

	@Test
	void refusesEveryCallInsideATransactionBeforeItReachesTheProvider() {
		List<Runnable> calls = List.of(() -> guarded.authorize("k", "order-1", 100, "EUR", "tok_ok"),
				() -> guarded.capture("k", "auth_1", 100), () -> guarded.voidAuthorization("k", "auth_1"),
				() -> guarded.refund("k", "auth_1", 100), () -> guarded.find("auth_1"),
				() -> guarded.findByReference("order-1"), () -> guarded.latestFor("order-1"));
		for (Runnable call : calls) {
			assertThatThrownBy(() -> transactions.executeWithoutResult(status -> call.run()))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("inside a database transaction");
		}
		assertThat(provider.calls).hasValue(0);
	}

	@Test
	void letsTheSameCallsThroughOutsideATransaction() {
		assertThat(guarded.authorize("k", "order-1", 100, "EUR", "tok_ok")).isEqualTo(AUTHORIZED);
		assertThat(guarded.latestFor("order-1")).contains(AUTHORIZED);
		transactions.executeWithoutResult(status -> {
		});
		assertThat(guarded.capture("k", "auth_1", 100)).isEqualTo(AUTHORIZED);
		assertThat(provider.calls).hasValue(3);
	}
}
