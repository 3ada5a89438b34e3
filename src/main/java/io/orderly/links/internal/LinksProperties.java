package io.orderly.links.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the URL shortener.
 *
 * @param baseUrl where short links are served; short URLs are {@code <baseUrl>/s/<code>}.
 *        Unset: {@code http://localhost:PORT} with the port the server listens on
 * @param ownHosts further host names (optionally {@code host:port}) that reach this shortener;
 *        a target on one of them, on the base URL's host and port, or on this machine's own
 *        addresses at the listening port, is a redirect loop
 * @param redirectStatus 302 (default; every click reaches us and is counted) or 301
 * @param cacheSize the most links an instance keeps in memory
 * @param cacheTtl how long an instance trusts a cached link; each entry gets up to 10% less, at random
 * @param unknownCacheSize the most unknown codes an instance remembers
 * @param unknownCacheTtl how long an unknown code is remembered
 * @param clickFlushInterval how often counted clicks are written; a crash loses at most one interval
 * @param retention how long after its expiry or deletion a link's target is kept
 * @param purgeBatch links purged per statement
 * @param redis the shared cache tier of distributed mode; none unless its URL is set
 */
@ConfigurationProperties("orderly.links")
public record LinksProperties(URI baseUrl, @DefaultValue({}) List<String> ownHosts,
		@DefaultValue("302") int redirectStatus, @DefaultValue("100000") long cacheSize,
		@DefaultValue("10m") Duration cacheTtl, @DefaultValue("10000") long unknownCacheSize,
		@DefaultValue("30s") Duration unknownCacheTtl, @DefaultValue("1s") Duration clickFlushInterval,
		@DefaultValue("30d") Duration retention, @DefaultValue("500") int purgeBatch, @DefaultValue Redis redis) {

	/**
	 * The shared tier on Redis.
	 *
	 * @param url for example {@code redis://127.0.0.1:6379/0}; empty: no shared tier
	 * @param timeout the longest a redirect waits for Redis before it reads the database
	 * @param keyPrefix put before each code to make its key
	 */
	public record Redis(@DefaultValue("") String url, @DefaultValue("50ms") Duration timeout,
			@DefaultValue("orderly:links:") String keyPrefix) {

		public boolean enabled() {
			return url != null && !url.isBlank();
		}
	}

	public LinksProperties {
		if (redirectStatus != 301 && redirectStatus != 302) {
			throw new IllegalArgumentException("orderly.links.redirect-status must be 301 or 302, was " + redirectStatus);
		}
		if (baseUrl != null && baseUrl.getHost() == null) {
			throw new IllegalArgumentException("orderly.links.base-url must be an absolute URL, was " + baseUrl);
		}
		ownHosts = List.copyOf(ownHosts);
	}
}
