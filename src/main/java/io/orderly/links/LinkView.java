package io.orderly.links;

import java.time.Instant;

/**
 * A short link as the API shows it.
 *
 * @param code the code in the short URL
 * @param shortUrl where the link is served
 * @param url the normalised target; null once the link is deleted or purged
 * @param expiresAt when the link stops redirecting (410 after); null for never
 */
public record LinkView(String code, String shortUrl, String url, Instant createdAt, Instant expiresAt, String owner) {
}
