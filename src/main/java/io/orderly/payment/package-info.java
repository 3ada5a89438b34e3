/**
 * Payment: the order's payment at the provider (PSP) and a double-entry ledger of every money
 * movement. It answers the checkout saga's commands ({@link io.orderly.payment.AuthorizePayment},
 * {@link io.orderly.payment.CapturePayment}, {@link io.orderly.payment.CancelPayment}) with the
 * replies in this package, each published in the transaction that records the change.
 *
 * <h2>The provider</h2>
 * One port, {@code internal.PaymentProvider}, with an HTTP adapter (the provider's base URL is
 * {@code orderly.payment.psp.base-url}, by default the simulator's {@code orderly.psp.base-url})
 * and a decorator that repeats a call whose outcome is unknown (connection refused, timeout,
 * lost response, 5xx) a few times with backoff; a refusal (4xx) or a decline is never repeated.
 * Every changing call carries a key derived from the order and the operation
 * ({@code authorize:<orderId>}, {@code capture:<orderId>}, {@code void:<orderId>},
 * {@code refund:<orderId>}), so no retry, redelivery or restart makes the provider do it twice.
 *
 * <h2>Unknown outcomes</h2>
 * An authorization without a usable answer is looked up by reference (the order id). If that
 * does not tell either, the saga is answered {@code payment_unavailable} and the payment,
 * {@code AUTHORIZATION_UNKNOWN}, is watched: looked up again with backoff until
 * {@code orderly.payment.watch.duration} has passed, and whatever turns up is voided. A
 * cancellation looks up by reference whenever our record does not say what the provider holds,
 * and so finds an authorization that succeeded after we gave up on it. A capture without a
 * usable answer is left to the kernel's redelivery (same key), never guessed.
 *
 * <h2>The ledger</h2>
 * Signed entries (debits positive), the entries of a transaction summing to zero (checked in
 * code and by a deferred constraint trigger at commit), one transaction per movement and order:
 * <ul>
 * <li>authorize A: {@code customer_funds_held} +A, {@code customer_funds_held_offset} -A (a memo
 * of the hold)</li>
 * <li>void: the reverse of the authorization</li>
 * <li>capture C: the hold released as in a void, then {@code psp_receivable} +C, {@code revenue}
 * -C</li>
 * <li>refund R: {@code revenue} +R, {@code psp_receivable} -R</li>
 * </ul>
 * Per order, {@code customer_funds_held} is what the provider holds on the card and
 * {@code psp_receivable} is captured minus refunded: the two reconcile with the provider's
 * own records.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "platform")
package io.orderly.payment;
