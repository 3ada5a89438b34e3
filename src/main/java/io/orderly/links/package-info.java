/**
 * The URL shortener: short codes for long URLs, redirects from an in-process cache, click counts.
 *
 * <p><b>Codes</b> are Base62 of a 64-bit, time-ordered number made without coordination: 41 bits
 * of milliseconds, 13 bits of a generator number each instance takes from a sequence once at
 * startup, 10 bits of a counter within the millisecond (see {@code internal.LinkCodes}). A code's
 * row is never deleted, so a code is never given out twice, even after its link expired, was
 * deleted or purged. Custom aliases share the namespace and its uniqueness.
 *
 * <p><b>Redirects</b> read a Caffeine cache: one database read per code and instance until the
 * entry's time to live (with jitter) runs out, one read for any burst of requests on a missing
 * entry (the cache loads once and the others wait for it), and short-lived, bounded memory of
 * unknown codes. An entry carries the link's expiry, so an expired link answers 410 the moment
 * it expires; deleting a link evicts it on every instance through PostgreSQL
 * {@code NOTIFY orderly_links} (an instance that loses its listening connection clears its
 * whole cache when it reconnects, since it may have missed a notification).
 *
 * <p><b>Clicks</b> are counted in memory and written in one batch per
 * {@code orderly.links.click-flush-interval} (default 1 s) and when the instance stops. A crash
 * loses at most the clicks of the last interval; a redirect never waits for the database.
 *
 * <p><b>Retention</b>: a background job clears the target of links deleted or expired more than
 * {@code orderly.links.retention} ago, in small batches that skip rows others hold; the code stays.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Links", allowedDependencies = { "platform", "edge" })
package io.orderly.links;
