/**
 * PSP simulator: a stand-in payment provider over real HTTP, with fault injection. It depends
 * on no business module, and none depends on it: the payment module calls it only over HTTP,
 * at {@code orderly.psp.base-url}, exactly as it would call a real provider.
 *
 * <h2>Its own port</h2>
 * The simulator listens on a port of its own ({@code orderly.psp.port}, default 8090; 0
 * picks a free one at startup, as the tests do), opened by the same {@code bin/run} as a
 * second connector of the embedded Tomcat. A separate port makes the failures real: "down"
 * closes the server socket, so a client sees a refused connection rather than a friendly
 * 503, and a lost response is a connection closed before any byte of the answer, not an
 * error status. It also keeps the client honest: it can only know the provider by its base
 * URL, which in another deployment points at another host. The port is settled before any
 * bean is made, so {@code orderly.psp.base-url} (default {@code http://localhost:<port>}) is
 * an ordinary property. The control plane ({@code /psp/admin/**}) and the records
 * ({@code /psp/v1/charges}) are served on the platform's port too, where API.md places them
 * and where they keep working while the simulator is down; the payment API itself answers
 * only on the simulator's port.
 *
 * <h2>Payment API ({@code orderly.psp.base-url})</h2>
 * Its OpenAPI document is served on the simulator's port, at {@code /v3/api-docs/psp}; the
 * platform's document at {@code /v3/api-docs} leaves every {@code /psp/} path out.
 * <ul>
 * <li>{@code POST /psp/v1/authorizations} {@code {"reference", "amountMinor", "currency",
 * "token"}} -> 201 with the authorization and {@code Location}. Status {@code AUTHORIZED}, or
 * {@code DECLINED} with {@code declineCode} {@code card_declined} ({@code tok_declined}) or
 * {@code insufficient_funds} ({@code tok_insufficient_funds}): a decline is a result, never
 * an error status, and never changes on retry.</li>
 * <li>{@code POST /psp/v1/authorizations/{id}/capture} {@code {"amountMinor"}} (optional;
 * default all) -> 200, status {@code CAPTURED}. One capture per authorization: a second one,
 * or a capture of a declined or voided authorization, is 409 {@code invalid_state}; more than
 * authorized is 422 {@code amount_too_large}.</li>
 * <li>{@code POST /psp/v1/authorizations/{id}/void} -> 200, status {@code VOIDED}; only from
 * {@code AUTHORIZED}, else 409 {@code invalid_state}.</li>
 * <li>{@code POST /psp/v1/authorizations/{id}/refunds} {@code {"amountMinor"}} (optional;
 * default all that is left) -> 200; only when captured (else 409), at most captured minus
 * refunded (else 422); repeatable with new keys.</li>
 * <li>{@code GET /psp/v1/authorizations/{id}} -> 200 or 404; {@code GET
 * /psp/v1/authorizations?reference=} -> {@code {"reference", "items": [...]}}, to learn what
 * really happened after a lost answer.</li>
 * </ul>
 * Refusals are RFC 9457 problems with a machine-readable {@code code}. An unknown
 * authorization is 404 {@code resource_missing}; a malformed body or header is 400 and keeps
 * nothing.
 *
 * <h2>Idempotency, as Stripe documents it</h2>
 * Every POST needs an {@code Idempotency-Key} (1 to 255 visible ASCII characters), scoped per
 * client ({@code Psp-Account} header, default one shared scope) and kept 24 h
 * ({@code orderly.psp.idempotency-ttl}). The first request with a key runs, and its answer,
 * refusals included, is stored in the same transaction as its effects; the same key with the
 * same parameters gets that answer again byte for byte, with {@code Idempotent-Replayed: true},
 * and changes nothing. The key with other parameters or on another endpoint is 422
 * {@code idempotency_error}; while the first request runs, 409 {@code idempotency_key_in_use}
 * with {@code Retry-After}. A request that never ran (invalid, injected 500, timeout, down)
 * keeps nothing and its key stays free. A 5xx or no answer at all means: outcome unknown,
 * retry with the same key.
 *
 * <h2>Faults</h2>
 * {@code PUT /psp/admin/faults} {@code {"errorRate", "latencyMs", "timeoutRate",
 * "timeoutMs", "lostResponseRate", "down"}} (left-out fields take their defaults; GET reads
 * them, DELETE resets them and answers hanging requests at once; {@code GET
 * /psp/admin/status} counts what was injected). Per payment API request, in this order:
 * {@code down} refuses the connection; {@code errorRate} answers 500 before doing anything;
 * {@code timeoutRate} hangs {@code timeoutMs} (default 30000), then answers 504 without doing
 * anything; {@code latencyMs} delays the request; {@code lostResponseRate} does the work,
 * commits it, and closes the connection without answering. The dice come from a
 * {@link java.util.random.RandomGenerator} seeded by {@code orderly.psp.random-seed} when set.
 */
@org.springframework.modulith.ApplicationModule(displayName = "PSP simulator", allowedDependencies = "platform")
package io.orderly.psp;
