package io.orderly.links.internal;

import java.time.Clock;
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

	public LinkCache(Links links, Clock clock, LinksProperties properties, MeterRegistry meters,
			Notifications notifications) {
		this.links = links;
		this.clock = clock;
		this.notifications = notifications;
		long ttl = properties.cacheTtl().toNanos();
		this.targets = Caffeine.newBuilder()
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.maximumSize(properties.cacheSize())
			.expireAfter(Expiry.<String, Target>creating((code, target) -> java.time.Duration
				.ofNanos(ttl - (long) (ttl * 0.1 * ThreadLocalRandom.current().nextDouble()))))
			.recordStats()
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
	 * Evicts {@code code} on every instance once the current transaction commits: here at
	 * once, elsewhere when the notification arrives (milliseconds).
	 */
	public void evictEverywhere(String code) {
		notifications.send(CHANNEL, code);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				evict(code);
			}
		});
	}

	/** Forgets what this instance knows of {@code code}. */
	public void evict(String code) {
		targets.invalidate(code);
		unknown.invalidate(code);
	}

	private Target load(String code) {
		loads.increment();
		return links.find(code)
			.map(row -> new Target(row.url(), row.expiresAt(), row.deletedAt() != null || row.purgedAt() != null))
			.orElse(null);
	}

	Instant now() {
		return clock.instant();
	}
}
