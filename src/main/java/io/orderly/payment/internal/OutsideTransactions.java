package io.orderly.payment.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The provider, refusing to be called from a thread inside a database transaction: a call takes
 * milliseconds to seconds (a timeout, a slow provider), and a connection held meanwhile is taken
 * from every other order. The payment module records the intent, commits, calls, and records the
 * answer ({@link ProviderCalls}); this is the check that it always does, in every test and in
 * production.
 */
final class OutsideTransactions implements PaymentProvider {

	private final PaymentProvider delegate;

	OutsideTransactions(PaymentProvider delegate) {
		this.delegate = delegate;
	}

	/**
	 * Inside a transaction, or a transaction synchronization scope without one (where a connection
	 * once fetched stays bound to the thread until the scope ends): refused.
	 */
	static void check(String operation) {
		if (TransactionSynchronizationManager.isActualTransactionActive()
				|| TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("The provider was called (" + operation + ") inside a database transaction"
					+ " (" + TransactionSynchronizationManager.getCurrentTransactionName()
					+ "): record the intent, commit, then call");
		}
	}

	@Override
	public ProviderAuthorization authorize(String idempotencyKey, String reference, long amountMinor, String currency,
			String token) {
		check("authorize");
		return delegate.authorize(idempotencyKey, reference, amountMinor, currency, token);
	}

	@Override
	public ProviderAuthorization capture(String idempotencyKey, String authorizationId, long amountMinor) {
		check("capture");
		return delegate.capture(idempotencyKey, authorizationId, amountMinor);
	}

	@Override
	public ProviderAuthorization voidAuthorization(String idempotencyKey, String authorizationId) {
		check("void");
		return delegate.voidAuthorization(idempotencyKey, authorizationId);
	}

	@Override
	public ProviderAuthorization refund(String idempotencyKey, String authorizationId, long amountMinor) {
		check("refund");
		return delegate.refund(idempotencyKey, authorizationId, amountMinor);
	}

	@Override
	public Optional<ProviderAuthorization> find(String authorizationId) {
		check("find");
		return delegate.find(authorizationId);
	}

	@Override
	public List<ProviderAuthorization> findByReference(String reference) {
		check("lookup");
		return delegate.findByReference(reference);
	}
}
