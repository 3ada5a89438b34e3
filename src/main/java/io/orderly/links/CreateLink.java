package io.orderly.links;

import java.time.Instant;

/**
 * A request for a short link.
 *
 * @param url the target, http or https
 * @param alias an optional custom code: 3 to 64 letters, digits, '-' or '_', case-sensitive
 * @param expiresAt when the link stops redirecting; null for never
 * @param owner who makes it (the caller's subject)
 */
public record CreateLink(String url, String alias, Instant expiresAt, String owner) {
}
