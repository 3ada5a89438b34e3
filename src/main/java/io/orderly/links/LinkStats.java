package io.orderly.links;

import java.time.Instant;

/**
 * How often a link was followed: clicks written so far plus those this instance counted and
 * has not written yet (other instances' unwritten clicks appear within a flush interval).
 *
 * @param lastClickAt null when never clicked
 */
public record LinkStats(long clicks, Instant lastClickAt) {
}
