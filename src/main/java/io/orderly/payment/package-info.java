/**
 * Payment: the order's payment at the provider (PSP) and a double-entry ledger of every money
 * movement. It answers the checkout saga's commands ({@link io.orderly.payment.AuthorizePayment},
 * {@link io.orderly.payment.CapturePayment}, {@link io.orderly.payment.CancelPayment}) with the
 * replies in this package, each published in the transaction that records the change.
 *
 * <h2>The provider</h2>
 * One port, {@code internal.PaymentProvider}, with an HTTP adapter (the provider's base URL is
 * {@code orderly.payment.psp.base-url}, by default the simulator's {@code orderly.psp.base-url}),
 * behind Resilience4j (retry of unknown outcomes with backoff, bulkhead, circuit breaker), and
 * refusing to be called inside a database transaction. Every changing call carries a key
 * derived from the order and the operation ({@code authorize:<orderId>},
 * {@code capture:<orderId>}, {@code void:<orderId>}, {@code refund:<orderId>}), so no retry,
 * redelivery or restart makes the provider do it twice.
 *
 * <h2>Provider calls: decided, made, answered</h2>
 * A command's handler records what to ask ({@code internal.ProviderCalls}: a row of
 * {@code provider_calls} with a lease) and commits; the call is made with no connection held;
 * its answer is recorded, and the reply published, in a second transaction, if the attempt still
 * holds the call and the payment did not move. A process that dies in between leaves the row, and
 * the call is taken by a new attempt, with the same key, once the lease has passed; from then on
 * the old attempt's answer decides nothing. An error of ours (not the provider's) is retried a few
 * times ({@code orderly.payment.pending.max-failures}), then the call is given up as unanswered.
 * The states and who moves them:
 * <pre>
 *  AuthorizePayment ──▶ AUTHORIZATION_PENDING ──(provider answers)──▶ AUTHORIZED │ DECLINED
 *                         │    └─(no answer: PaymentPending once, asked again with backoff)─┘
 *                         ├─(no answer until max-wait)──▶ AUTHORIZATION_UNKNOWN ──(watch)──▶ VOIDED │ DECLINED …
 *                         └─(CancelPayment)──▶ CANCELLED (watched: what an attempt did is voided)
 *  AUTHORIZED ──CapturePayment──▶ CAPTURED    (no answer: asked again, never guessed; failed after the wait)
 *  AUTHORIZED │ CAPTURED │ UNKNOWN ──CancelPayment──▶ VOIDED │ REFUNDED   (no answer: cancellation failed, the saga asks again)
 * </pre>
 * Who moves them: the command handlers (decide), {@code ProviderCalls} (every answer to a
 * command, and the unknown outcomes of authorize, capture and reverse), {@code PaymentWatch}
 * (payments answered "declined" or cancelled without the provider's word: looked up by
 * reference until the watch ends, anything found undone), {@code PaymentReconciliation} and the
 * provider's webhooks (settled payments only: our record caught up with the provider's, money
 * held for an order we answered "declined" given back). Payments with a call under way are
 * left to it.
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
