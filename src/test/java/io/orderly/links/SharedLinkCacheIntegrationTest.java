package io.orderly.links;

import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.links.internal.LinkCache;
import io.orderly.links.internal.Links;
import io.orderly.links.internal.LinksProperties;
import io.orderly.links.internal.RedisLinkCache;
import io.orderly.platform.messaging.Notifications;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared cache tier (Redis) of distributed mode: instances fill it for each other, a
 * removal reaches it and outlives stale writes, and redirects go on when Redis is away.
 * Needs a Redis at {@code ORDERLY_TEST_REDIS_URL} (default {@code redis://127.0.0.1:6379}):
 * skipped without one, unless {@code ORDERLY_TEST_REDIS=required} (set by {@code .ci/run}
 * when it has a Redis), which makes a missing Redis a failure.
 */
@IntegrationTest
class SharedLinkCacheIntegrationTest {

	static final String URL = System.getenv().getOrDefault("ORDERLY_TEST_REDIS_URL", "redis://127.0.0.1:6379");

	/** Keys of this run only, so that runs sharing a Redis do not meet. */
	static final String PREFIX = "orderly-test:" + UUID.randomUUID() + ":";

	static RedisClient rawClient;

	static StatefulRedisConnection<String, String> raw;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("orderly.links.redis.url", () -> URL);
		registry.add("orderly.links.redis.key-prefix", () -> PREFIX);
	}

	@BeforeAll
	static void redisIsThere() {
		boolean reachable;
		java.net.URI uri = java.net.URI.create(URL);
		try (Socket socket = new Socket(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort())) {
			reachable = true;
		}
		catch (java.io.IOException ex) {
			reachable = false;
		}
		if ("required".equals(System.getenv("ORDERLY_TEST_REDIS"))) {
			assertThat(reachable).as("Redis at " + URL + " (ORDERLY_TEST_REDIS=required)").isTrue();
		}
		assumeThat(reachable).as("Redis at " + URL).isTrue();
		rawClient = RedisClient.create(URL);
		raw = rawClient.connect();
	}

	@AfterAll
	static void cleanUp() {
		if (raw != null) {
			var keys = raw.sync().keys(PREFIX + "*");
			if (!keys.isEmpty()) {
				raw.sync().del(keys.toArray(String[]::new));
			}
			raw.close();
			rawClient.shutdown();
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	Links table;

	@Autowired
	LinksProperties properties;

	@Autowired
	Notifications notifications;

	@Autowired
	Clock clock;

	@Autowired
	TransactionTemplate transactions;

	/** Another instance: caches of its own (in process and a Redis connection) on the same database and Redis. */
	record Instance(LinkCache cache, MeterRegistry meters) {

		double databaseReads() {
			return meters.counter("orderly.links.loads").count();
		}

		double shared(String result) {
			return meters.counter("orderly.links.shared.cache", "result", result).count();
		}
	}

	private Instance instance(String redisUrl) {
		MeterRegistry meters = new SimpleMeterRegistry();
		RedisLinkCache redis = new RedisLinkCache(redisUrl, Duration.ofMillis(200), PREFIX, meters);
		return new Instance(new LinkCache(table, clock, properties, meters, notifications, redis), meters);
	}

	private String code(String url) {
		return LinkRequests.code(new Http(port), url);
	}

	@Test
	void anInstanceServesWhatAnotherReadFromTheDatabase() {
		String code = code("https://example.com/shared");
		Instance first = instance(URL);
		Instance second = instance(URL);

		assertThat(first.cache().resolve(code).url()).isEqualTo("https://example.com/shared");
		assertThat(first.databaseReads()).isEqualTo(1.0);
		assertThat(raw.sync().get(PREFIX + code)).isEqualTo("T|https://example.com/shared");

		assertThat(second.cache().resolve(code).url()).isEqualTo("https://example.com/shared");
		assertThat(second.databaseReads()).isZero();
		assertThat(second.shared("hit")).isEqualTo(1.0);
	}

	@Test
	void aDeletionReachesTheSharedTierAndEveryInstance() {
		String code = code("https://example.com/shared-delete");
		Instance first = instance(URL);
		assertThat(first.cache().resolve(code).removed()).isFalse();

		assertThat(new Http(port).delete("/v1/links/" + code).status()).isEqualTo(204);

		assertThat(raw.sync().get(PREFIX + code)).isEqualTo("R");
		await().atMost(Duration.ofSeconds(10)).until(() -> first.cache().resolve(code).removed());
		Instance late = instance(URL);
		assertThat(late.cache().resolve(code).removed()).isTrue();
		assertThat(late.databaseReads()).isZero();
		assertThat(new Http(port).get("/s/" + code).status()).isEqualTo(410);
	}

	@Test
	void aStaleEntryLeftInRedisDoesNotOutliveARemoval() {
		String code = code("https://example.com/stale");
		Instance reader = instance(URL);
		assertThat(reader.cache().resolve(code).removed()).isFalse();
		// The race of a delete: a reader saw the link before the commit and wrote it to Redis
		// after the delete had dropped the key but before it committed.
		raw.sync().set(PREFIX + code, "T|https://example.com/stale");
		transactions.executeWithoutResult(tx -> {
			table.delete(code, clock.instant());
			notifications.send("orderly_links", code);
		});

		await().atMost(Duration.ofSeconds(10)).until(() -> reader.cache().resolve(code).removed());
		assertThat(reader.databaseReads()).isEqualTo(2.0);
		// What the database said replaced the stale entry, for every instance to come.
		assertThat(raw.sync().get(PREFIX + code)).isEqualTo("R");
		// A put of the old target that comes later still cannot undo the removal.
		try (RedisLinkCache late = new RedisLinkCache(URL, Duration.ofMillis(200), PREFIX, new SimpleMeterRegistry())) {
			late.putIfAbsent(code, new LinkCache.Target("https://example.com/stale", null, false), Duration.ofMinutes(1));
		}
		assertThat(raw.sync().get(PREFIX + code)).isEqualTo("R");
		assertThat(instance(URL).cache().resolve(code).removed()).isTrue();
	}

	@Test
	void redirectsGoOnFromTheDatabaseWhenRedisIsAway() {
		String code = code("https://example.com/no-redis");
		Instance cut = instance("redis://127.0.0.1:1");

		assertThat(cut.cache().resolve(code).url()).isEqualTo("https://example.com/no-redis");
		assertThat(cut.databaseReads()).isEqualTo(1.0);
		assertThat(cut.shared("error")).isPositive();
	}
}
