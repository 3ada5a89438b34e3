package io.orderly.links.internal;

import java.time.Duration;

/**
 * The cache tier that instances share (Redis in distributed mode), between each instance's
 * own cache and the database. It is only ever a cache: when it fails or is slow, the redirect
 * path reads the database instead.
 */
public interface SharedLinkCache {

	/** What the tier knows of {@code code}: its target, or null when it holds nothing. */
	LinkCache.Target get(String code);

	/** Stores what the database said, unless the tier already holds something for the code. */
	void putIfAbsent(String code, LinkCache.Target target, Duration ttl);

	/**
	 * Records that the code's link is gone, replacing whatever the tier held: a concurrent
	 * {@link #putIfAbsent} of what a reader saw before the change cannot overwrite it.
	 */
	void markRemoved(String code, Duration ttl);

	/** Drops what the tier holds for {@code code}. */
	void evict(String code);

	/** No shared tier: each instance reads the database on its own misses. */
	SharedLinkCache NONE = new SharedLinkCache() {

		@Override
		public LinkCache.Target get(String code) {
			return null;
		}

		@Override
		public void putIfAbsent(String code, LinkCache.Target target, Duration ttl) {
		}

		@Override
		public void markRemoved(String code, Duration ttl) {
		}

		@Override
		public void evict(String code) {
		}
	};
}
