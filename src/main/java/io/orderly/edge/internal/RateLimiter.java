package io.orderly.edge.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets (Bucket4j) by limit and key, in the configured store: every instance sharing
 * the store shares each bucket. A bucket holds its capacity and is refilled in full once per
 * period. When the store cannot answer in time, each limit decides by its own policy: capacity
 * limits admit (better some excess than an outage), login limits refuse (better a retry than a
 * brute force). It never throws.
 */
class RateLimiter {

	private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

	/** What a limit does while its store is away. */
	enum OnStoreFailure {
		ADMIT, REFUSE
	}

	/** A named limit: its quota and failure policy; one bucket per key under it. */
	record Limit(String name, RateLimitProperties.Quota quota, OnStoreFailure onStoreFailure,
			BucketConfiguration configuration) {

		static Limit of(String name, RateLimitProperties.Quota quota, OnStoreFailure onStoreFailure) {
			return new Limit(name, quota, onStoreFailure, BucketConfiguration.builder()
				.addLimit(limit -> limit.capacity(quota.capacity()).refillIntervally(quota.capacity(), quota.period()))
				.build());
		}
	}

	/**
	 * The answer for one request under one limit.
	 *
	 * @param remaining tokens left in the bucket
	 * @param delay until the request would be admitted (refused), or until the bucket is full again
	 */
	record Outcome(Limit limit, boolean admitted, long remaining, Duration delay, boolean storeFailed) {
	}

	/** Where the buckets live. */
	interface Store {

		ConsumptionProbe tryConsume(String key, BucketConfiguration configuration);

		long available(String key, BucketConfiguration configuration);
	}

	private final Store store;

	private final MeterRegistry meters;

	private final Clock clock;

	/**
	 * Buckets found empty, until when they refill: refused here without asking the store again
	 * (a refused bucket stays empty until its next refill, so this never admits more; it makes
	 * a flood's refusals cost nothing in the store).
	 */
	private final Cache<String, java.time.Instant> emptyUntil = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterWrite(Duration.ofHours(1))
		.build();

	/** A store away fails every request: one log line a second, with the count. */
	private final io.orderly.platform.LogEvery storeFailures = new io.orderly.platform.LogEvery(Duration.ofSeconds(1));

	RateLimiter(Store store, MeterRegistry meters, Clock clock) {
		this.store = store;
		this.meters = meters;
		this.clock = clock;
	}

	/** Takes one token of {@code key}'s bucket under {@code limit}. */
	Outcome consume(Limit limit, String key) {
		java.util.Optional<Duration> empty = emptyFor(limit, key);
		if (empty.isPresent()) {
			return new Outcome(limit, false, 0, empty.get(), false);
		}
		String bucket = limit.name() + ":" + key;
		java.time.Instant now = clock.instant();
		try {
			ConsumptionProbe probe = store.tryConsume(bucket, limit.configuration());
			Duration wait = Duration.ofNanos(probe.isConsumed() ? probe.getNanosToWaitForReset() : probe.getNanosToWaitForRefill());
			if (!probe.isConsumed()) {
				emptyUntil.put(bucket, now.plus(wait));
			}
			return new Outcome(limit, probe.isConsumed(), probe.getRemainingTokens(), wait, false);
		}
		catch (RuntimeException ex) {
			return storeFailed(limit, ex);
		}
	}

	/** How long {@code key}'s bucket under {@code limit} is known to stay empty, from memory; empty when it is not known to be. */
	java.util.Optional<Duration> emptyFor(Limit limit, String key) {
		java.time.Instant empty = emptyUntil.getIfPresent(limit.name() + ":" + key);
		java.time.Instant now = clock.instant();
		return empty != null && now.isBefore(empty) ? java.util.Optional.of(Duration.between(now, empty))
				: java.util.Optional.empty();
	}

	/** Whether {@code key} has a token left under {@code limit}, taking none. */
	Outcome peek(Limit limit, String key) {
		try {
			long available = store.available(limit.name() + ":" + key, limit.configuration());
			return new Outcome(limit, available > 0, available, available > 0 ? Duration.ZERO : limit.quota().period(), false);
		}
		catch (RuntimeException ex) {
			return storeFailed(limit, ex);
		}
	}

	private Outcome storeFailed(Limit limit, RuntimeException ex) {
		meters.counter("orderly.ratelimit.store.failures", "limit", limit.name()).increment();
		long failures = storeFailures.occurred();
		if (failures > 0) {
			log.warn("Rate limit store did not answer {} time(s) in the last second (latest for {}, which {}s): {}", failures,
					limit.name(), limit.onStoreFailure().name().toLowerCase(java.util.Locale.ROOT), ex.toString());
		}
		boolean admit = limit.onStoreFailure() == OnStoreFailure.ADMIT;
		return new Outcome(limit, admit, admit ? limit.quota().capacity() : 0, Duration.ofSeconds(5), true);
	}

	void refused(Outcome outcome, String tier) {
		Counter.builder("orderly.ratelimit.rejections")
			.description("Requests refused with 429, by limit and tier")
			.tag("limit", outcome.limit().name())
			.tag("tier", tier == null ? "none" : tier)
			.register(meters)
			.increment();
	}

	/** Bucket4j reads time from the injected clock, so tests can move it. */
	static TimeMeter timeMeter(Clock clock) {
		return new TimeMeter() {
			@Override
			public long currentTimeNanos() {
				java.time.Instant now = clock.instant();
				return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
			}

			@Override
			public boolean isWallClockBased() {
				return true;
			}
		};
	}

	/** Buckets in a shared store (PostgreSQL or Redis) through a Bucket4j proxy manager. */
	static Store shared(ProxyManager<String> buckets, double unsynchronizedShare) {
		// One proxy per key, reused. Without Bucket4j's batching optimization on its own: with it
		// (8.14.0) three instances on the PostgreSQL store admitted 207 requests against a limit of
		// 200 in three runs of RateLimitIntegrationTest on a busy machine (not on a quiet one);
		// without it, exactly 200 every time. Its delaying optimization (which batches too) only
		// where a bucket is large enough to allow each instance a share of unsynchronized tokens:
		// the excess is bounded by design (instances × share × capacity).
		Cache<String, Bucket> proxies = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
		return new Store() {
			private Bucket bucket(String key, BucketConfiguration configuration) {
				return proxies.get(key, k -> {
					long unsynchronized = (long) Math.floor(configuration.getBandwidths()[0].getCapacity() * unsynchronizedShare);
					var builder = buckets.builder();
					if (unsynchronized >= 1) {
						builder = builder.withOptimization(
								Optimizations.delaying(new DelayParameters(unsynchronized, Duration.ofSeconds(1))));
					}
					return builder.build(k, () -> configuration);
				});
			}

			@Override
			public ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
				return bucket(key, configuration).tryConsumeAndReturnRemaining(1);
			}

			@Override
			public long available(String key, BucketConfiguration configuration) {
				return bucket(key, configuration).getAvailableTokens();
			}
		};
	}

	/** Buckets in this instance's memory: for one instance alone. */
	static Store local(Clock clock) {
		TimeMeter time = timeMeter(clock);
		Cache<String, Bucket> buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();
		return new Store() {
			private Bucket bucket(String key, BucketConfiguration configuration) {
				return buckets.get(key, k -> {
					var builder = Bucket.builder().withCustomTimePrecision(time);
					for (var bandwidth : configuration.getBandwidths()) {
						builder.addLimit(bandwidth);
					}
					return builder.build();
				});
			}

			@Override
			public ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
				return bucket(key, configuration).tryConsumeAndReturnRemaining(1);
			}

			@Override
			public long available(String key, BucketConfiguration configuration) {
				return bucket(key, configuration).getAvailableTokens();
			}
		};
	}
}
