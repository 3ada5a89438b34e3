package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The Redis store of the rate limits: three instances share each bucket exactly, and while
 * Redis is away the platform keeps serving, each limit following its policy. Needs a Redis at
 * {@code ORDERLY_TEST_REDIS_URL} (default {@code redis://127.0.0.1:6379}) for the first test:
 * skipped without one, unless {@code ORDERLY_TEST_REDIS=required} (set by {@code .ci/run}).
 */
class RedisRateLimitIntegrationTest {

	private static final String URL = System.getenv().getOrDefault("ORDERLY_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	private static RateLimitProperties redisAt(String url) {
		return new RateLimitProperties(true, "redis", url, Duration.ofMillis(500), Map.of(), "standard", "tier", "tenant",
				null, null, null, null, List.of(), 0.003);
	}

	private static boolean reachable() {
		java.net.URI uri = java.net.URI.create(URL);
		try (Socket socket = new Socket(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort())) {
			return true;
		}
		catch (java.io.IOException ex) {
			return false;
		}
	}

	@Test
	void threeInstancesSharingRedisAdmitAtMostTheLimit() throws Exception {
		boolean reachable = reachable();
		if ("required".equals(System.getenv("ORDERLY_TEST_REDIS"))) {
			assertThat(reachable).as("Redis at " + URL + " (ORDERLY_TEST_REDIS=required)").isTrue();
		}
		assumeThat(reachable).as("Redis at " + URL).isTrue();
		RateLimiter.Limit limit = RateLimiter.Limit.of("test-shared-" + UUID.randomUUID(),
				new RateLimitProperties.Quota(200, Duration.ofHours(1)), RateLimiter.OnStoreFailure.ADMIT);
		List<RateLimitConfiguration.BucketStore> stores = new ArrayList<>();
		List<RateLimiter> instances = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			RateLimitConfiguration.BucketStore store = new RateLimitConfiguration().bucketStore(redisAt(URL), "redis", null,
					Clock.systemUTC());
			stores.add(store);
			instances.add(new RateLimiter(store.store, new SimpleMeterRegistry(), Clock.systemUTC()));
		}
		AtomicInteger admitted = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		try (ExecutorService threads = Executors.newFixedThreadPool(24)) {
			List<Future<?>> work = new ArrayList<>();
			for (int t = 0; t < 24; t++) {
				RateLimiter instance = instances.get(t % 3);
				work.add(threads.submit(() -> {
					for (int i = 0; i < 40; i++) {
						RateLimiter.Outcome outcome = instance.consume(limit, "everyone");
						if (outcome.storeFailed()) {
							failed.incrementAndGet();
						}
						else if (outcome.admitted()) {
							admitted.incrementAndGet();
						}
					}
				}));
			}
			for (Future<?> each : work) {
				each.get();
			}
		}
		finally {
			for (RateLimitConfiguration.BucketStore store : stores) {
				store.close();
			}
		}

		assertThat(failed.get()).isZero();
		assertThat(admitted.get()).as("960 attempts on three instances against a limit of 200").isBetween(200, 202);
	}

	@Test
	void whileRedisIsAwayCapacityLimitsAdmitAndSignInLimitsRefuse() throws Exception {
		// Nothing listens on port 1: the store cannot be reached at all.
		RateLimitConfiguration.BucketStore away = new RateLimitConfiguration().bucketStore(redisAt("redis://127.0.0.1:1"),
				"redis", null, Clock.systemUTC());
		try {
			EdgeLimits limits = new EdgeLimits(redisAt("redis://127.0.0.1:1"), new RateLimiter(away.store,
					new SimpleMeterRegistry(), Clock.systemUTC()));

			assertThat(limits.limiter().consume(limits.tier("standard"), "alice").admitted()).isTrue();
			assertThat(limits.limiter().consume(limits.anonymous, "203.0.113.1").admitted()).isTrue();
			assertThat(limits.limiter().peek(limits.failedAuth, "203.0.113.1").admitted()).isFalse();
		}
		finally {
			away.close();
		}
	}
}
