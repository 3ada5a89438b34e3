/**
 * Notification provider simulators: stand-in SMS and push providers over real HTTP, each on a
 * port of its own, with fault injection, in the style of the PSP simulator. It depends on no
 * business module and none depends on it: the notification module calls each provider only
 * at {@code orderly.notification.providers.<name>.url}, as it would a real one.
 *
 * <p>Four providers: {@code sms-primary}, {@code sms-secondary}, {@code push-primary},
 * {@code push-secondary} (ports {@code orderly.providers.base-port} + 0..3, default 8091; 0 picks
 * free ones, as the tests do). Each answers {@code POST /v1/messages} with an
 * {@code Idempotency-Key}: {@code {"to": "+4915112345678", "text": "..."}} (SMS) or
 * {@code {"to": "<device tokens, comma-separated>", "title": "...", "text": "..."}} (push) -> 202
 * {@code {"id", "status": "accepted"}}; the same key again is answered with the same id and sends
 * nothing. It imposes a rate limit ({@code orderly.providers.rate-per-second}; beyond it 429 with
 * Retry-After), refuses an invalid recipient for good (422 {@code invalid_recipient}; a number
 * ending in 0000 is one nobody has), and reports each message's fate by a signed webhook
 * ({@code Psp-Signature}, the PSP's scheme) to {@code /v1/webhooks/notifications/<name>}:
 * {@code delivered}, or {@code bounced} for a number ending in 9999, at least once.
 *
 * <p>Faults ({@code orderly.faults.enabled=true}): {@code PUT /v1/admin/notification-providers/<name>/faults}
 * {@code {"errorRate", "latencyMs", "timeoutRate", "hangMs", "down"}}: errors answer 503 before
 * anything is sent; a timeout sends the message and holds the answer {@code hangMs}; down closes
 * the port. {@code GET /v1/admin/notification-providers} shows each provider's records.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notification provider simulators", allowedDependencies = "platform")
package io.orderly.providers;
