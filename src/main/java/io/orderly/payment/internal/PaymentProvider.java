package io.orderly.payment.internal;

import java.util.List;
import java.util.Optional;

/**
 * The payment provider (PSP), as the payment module needs it: the one port of the module.
 * {@link HttpPaymentProvider} talks to it over HTTP; decorators add retries (and, later,
 * circuit breaking and bulkheads) around any implementation.
 *
 * <p>Every changing call carries an idempotency key: the provider does the work of a key at
 * most once and answers a repeated key with its first answer. Keys are derived from the order
 * and the operation ({@link IdempotencyKeys}), so a retry, a redelivered command or a restart
 * can never authorize, capture, void or refund twice.
 *
 * <p>Failures come in two kinds. {@link ProviderRefused}: the provider answered that it will
 * not do it (a 4xx); nothing was done, and asking again changes nothing. {@link
 * ProviderUnavailable}: no usable answer (refused connection, timeout, lost response, 5xx, or
 * the key's first request still running); the work may or may not have been done, and the
 * same call with the same key is safe to repeat. A declined card is neither: it is an
 * authorization with status {@code DECLINED}.
 */
public interface PaymentProvider {

	/** Holds {@code amountMinor} on the card behind {@code token}; {@code reference} is the order id. */
	ProviderAuthorization authorize(String idempotencyKey, String reference, long amountMinor, String currency,
			String token);

	/** Takes {@code amountMinor} of an authorization from the card; one capture per authorization. */
	ProviderAuthorization capture(String idempotencyKey, String authorizationId, long amountMinor);

	/** Releases the hold of an authorization that was not captured. */
	ProviderAuthorization voidAuthorization(String idempotencyKey, String authorizationId);

	/** Gives back {@code amountMinor} of a captured authorization. */
	ProviderAuthorization refund(String idempotencyKey, String authorizationId, long amountMinor);

	/** The authorization as the provider holds it now, or empty if it does not know it. */
	Optional<ProviderAuthorization> find(String authorizationId);

	/** Every authorization with this reference, oldest first: what really happened after a lost answer. */
	List<ProviderAuthorization> findByReference(String reference);

	/** The newest authorization with this reference; the payment module makes at most one per order. */
	default Optional<ProviderAuthorization> latestFor(String reference) {
		List<ProviderAuthorization> found = findByReference(reference);
		return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
	}
}
