package io.orderly.links.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.orderly.platform.messaging.Notifications;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The redirect path's view of the links table (cache-aside, in process). A burst of requests
 * for a code that is not cached causes one database read: Caffeine runs one load per key and
 * the other callers wait for it. Unknown codes are remembered briefly in a bounded cache of
 * their own, so junk codes cannot push real links out. Time comes from the injected clock
 * (entries expire when a test moves it).
 * <p>
 * With a shared tier (Redis), a miss here asks the shared tier before the database, and what
 * the database answers is offered to the shared tier. A removal is final (codes never come
 * back), so it overwrites whatever the shared tier holds; a live target only fills a gap.
 */
public class LinkCache {

	static final String CHANNEL = "orderly_links";

	/** What a code leads to: a target, or a link that is gone (deleted, purged, or past {@code expiresAt}). */
	public record Target(String url, Instant expiresAt, boolean removed) {

		public boolean goneAt(Instant now) {
			return removed || (expiresAt != null && !now.isBefore(expiresAt));
		}
	}

	private final Links links;

	private final Clock clock;

	private final Cache<String, Target> targets;

	private final Cache<String, Boolean> unknown;

	private final Counter loads;

	private final Notifications notifications;

	private final SharedLinkCache shared;

	private final Duration ttl;

	/**
	 * Codes this instance was told were removed, for a few seconds: their next load reads the
	 * database, not the shared tier, which may still hold what a reader saw before the change.
	 */
	private final Cache<String, Boolean> justRemoved;

	public LinkCache(Links links, Clock clock, LinksProperties properties, MeterRegistry meters,
			Notifications notifications) {
		this(links, clock, properties, meters, notifications, SharedLinkCache.NONE);
	}

	public LinkCache(Links links, Clock clock, LinksProperties properties, MeterRegistry meters,
			Notifications notifications, SharedLinkCache shared) {
		this.links = links;
		this.clock = clock;
		this.notifications = notifications;
		this.shared = shared;
		this.ttl = properties.cacheTtl();
		this.targets = Caffeine.newBuilder()
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.maximumSize(properties.cacheSize())
			.expireAfter(Expiry.<String, Target>creating((code, target) -> jittered()))
			.recordStats()
			.build();
		this.justRemoved = Caffeine.newBuilder()
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.maximumSize(properties.unknownCacheSize())
			.expireAfterWrite(Duration.ofSeconds(5))
			.build();
		this.unknown = Caffeine.newBuilder()
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.maximumSize(properties.unknownCacheSize())
			.expireAfterWrite(properties.unknownCacheTtl())
			.build();
		this.loads = Counter.builder("orderly.links.loads").description("Links read from the database by the redirect path")
			.register(meters);
		CaffeineCacheMetrics.monitor(meters, targets, "links");
		notifications.listen(CHANNEL, new Notifications.Listener() {

			@Override
			public void on(String code) {
				justRemoved.put(code, Boolean.TRUE);
				evict(code);
			}

			@Override
			public void listeningRestarted() {
				// Evictions sent while we were not listening are lost: forget everything.
				targets.invalidateAll();
				unknown.invalidateAll();
			}
		});
	}

	/** The code's target, or null when there is no such code. */
	public Target resolve(String code) {
		Target target = targets.getIfPresent(code);
		if (target != null) {
			return target;
		}
		if (unknown.getIfPresent(code) != null) {
			return null;
		}
		target = targets.get(code, this::load);
		if (target == null) {
			unknown.put(code, Boolean.TRUE);
		}
		return target;
	}

	/**
	 * For a link the current transaction removes (deletes or purges): evicts {@code code} on
	 * every instance once the transaction commits, here at once, elsewhere when the
	 * notification arrives (milliseconds), and records the removal in the shared tier.
	 */
	public void evictEverywhere(String code) {
		// Dropped before the commit as well, so that readers meanwhile go to the database.
		shared.evict(code);
		notifications.send(CHANNEL, code);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				evict(code);
				shared.markRemoved(code, jittered());
			}
		});
	}

	/** Forgets what this instance knows of {@code code}. */
	public void evict(String code) {
		targets.invalidate(code);
		unknown.invalidate(code);
	}

	private Target load(String code) {
		boolean removedLately = justRemoved.getIfPresent(code) != null;
		if (!removedLately) {
			Target known = shared.get(code);
			if (known != null) {
				return known;
			}
		}
		loads.increment();
		Target target = links.find(code)
			.map(row -> new Target(row.url(), row.expiresAt(), row.deletedAt() != null || row.purgedAt() != null))
			.orElse(null);
		if (target != null && target.removed()) {
			shared.markRemoved(code, jittered());
		}
		else if (target != null) {
			shared.putIfAbsent(code, target, jittered());
		}
		return target;
	}

	/** The cache TTL less up to 10%, at random, so that entries loaded together do not expire together. */
	private Duration jittered() {
		return ttl.minusNanos((long) (ttl.toNanos() * 0.1 * ThreadLocalRandom.current().nextDouble()));
	}

	Instant now() {
		return clock.instant();
	}
}
