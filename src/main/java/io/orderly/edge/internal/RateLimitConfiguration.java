package io.orderly.edge.internal;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;

/** The rate limiter and its store, chosen by {@code orderly.rate-limits.store}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimitConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

	/** The store's resources, closed with the context; and the purge of full buckets. */
	static final class BucketStore implements AutoCloseable {

		final RateLimiter.Store store;

		private final PostgreSQLSelectForUpdateBasedProxyManager<String> postgres;

		private final AutoCloseable resources;

		BucketStore(RateLimiter.Store store, PostgreSQLSelectForUpdateBasedProxyManager<String> postgres,
				AutoCloseable resources) {
			this.store = store;
			this.postgres = postgres;
			this.resources = resources;
		}

		/** Rows of buckets that are full again say nothing a missing row does not. */
		@Scheduled(fixedDelayString = "${orderly.rate-limits.purge-interval:5m}")
		void purge() {
			if (postgres == null) {
				return;
			}
			try {
				int removed;
				do {
					removed = postgres.removeExpired(1_000);
				}
				while (removed == 1_000);
			}
			catch (RuntimeException ex) {
				log.warn("Could not purge full rate limit buckets: {}", ex.toString());
			}
		}

		@Override
		public void close() throws Exception {
			if (resources != null) {
				resources.close();
			}
		}
	}

	/**
	 * Buckets in Redis, connecting on first use and again after a loss (at most once a second):
	 * the platform starts and serves while Redis is away, each limit following its policy.
	 */
	static final class Redis implements RateLimiter.Store, AutoCloseable {

		private final RedisClient client;

		private final Clock clock;

		private final String url;

		private volatile StatefulRedisConnection<String, byte[]> connection;

		private volatile RateLimiter.Store store;

		private volatile java.time.Instant nextAttempt = java.time.Instant.MIN;

		private final double unsynchronizedShare;

		Redis(RedisClient client, Clock clock, String url, double unsynchronizedShare) {
			this.unsynchronizedShare = unsynchronizedShare;
			this.client = client;
			this.clock = clock;
			this.url = url;
		}

		private RateLimiter.Store store() {
			RateLimiter.Store current = store;
			if (current != null && connection.isOpen()) {
				return current;
			}
			synchronized (this) {
				if (store != null && connection.isOpen()) {
					return store;
				}
				if (clock.instant().isBefore(nextAttempt)) {
					throw new IllegalStateException("Redis at " + url + " is away");
				}
				try {
					if (connection != null) {
						connection.close();
					}
					connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
					store = RateLimiter.shared(Bucket4jLettuce.casBasedBuilder(connection)
						.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
						.clientClock(RateLimiter.timeMeter(clock))
						.build(), unsynchronizedShare);
					return store;
				}
				catch (RuntimeException ex) {
					store = null;
					nextAttempt = clock.instant().plusSeconds(1);
					throw ex;
				}
			}
		}

		@Override
		public io.github.bucket4j.ConsumptionProbe tryConsume(String key, io.github.bucket4j.BucketConfiguration configuration) {
			return store().tryConsume(key, configuration);
		}

		@Override
		public long available(String key, io.github.bucket4j.BucketConfiguration configuration) {
			return store().available(key, configuration);
		}

		@Override
		public void close() {
			if (connection != null) {
				connection.close();
			}
			client.shutdown();
		}
	}

	@Bean(destroyMethod = "close")
	BucketStore bucketStore(RateLimitProperties properties, DataSource dataSource, Clock clock, Environment environment) {
		String store = properties.store();
		if ("auto".equals(store)) {
			boolean embedded = environment.getProperty("orderly.database.embedded", Boolean.class, true);
			store = embedded ? "local" : "postgresql";
		}
		log.info("Rate limit buckets: {}{}", store, "auto".equals(properties.store()) ? " (auto)" : "");
		return bucketStore(properties, store, dataSource, clock);
	}

	BucketStore bucketStore(RateLimitProperties properties, String store, DataSource dataSource, Clock clock) {
		Duration timeout = properties.storeTimeout();
		ExpirationAfterWriteStrategy expiry = ExpirationAfterWriteStrategy
			.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10));
		return switch (store) {
			case "local" -> new BucketStore(RateLimiter.local(clock), null, null);
			case "redis" -> {
				RedisClient client = RedisClient.create(RedisURI.create(properties.redisUrl()));
				client.setOptions(ClientOptions.builder()
					.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
					.timeoutOptions(TimeoutOptions.enabled(timeout))
					.socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
					.build());
				client.setDefaultTimeout(timeout);
				Redis redis = new Redis(client, clock, properties.redisUrl(), properties.unsynchronizedShare());
				yield new BucketStore(redis, null, redis);
			}
			default -> {
				// A pool of its own: the limiter never waits behind the platform's work, and a request
				// waits for it at most the store timeout before its limit's failure policy decides.
				HikariDataSource pool = EdgeDatabase.poolBeside(dataSource, "orderly-ratelimits", 4, timeout);
				// A bucket's row stays locked until its commit is flushed: with a flush per request, a
				// busy caller's requests queued behind the disk (507 reads/s instead of 1,280 in
				// docs/bench/edge-2026-12-04.md). A crash of PostgreSQL may forget the last moments of
				// consumption (at most three WAL writer delays, 600 ms by default): a caller may then
				// get that much more, once. Counting is not worth a disk flush (docs/adr/0004).
				pool.setConnectionInitSql("set synchronous_commit = off");
				PostgreSQLSelectForUpdateBasedProxyManager<String> buckets = Bucket4jPostgreSQL
					.selectForUpdateBasedBuilder(pool)
					.primaryKeyMapper(PrimaryKeyMapper.STRING)
					.table("edge.rate_limit_buckets")
					.idColumn("id")
					.stateColumn("state")
					.expiresAtColumn("expires_at")
					.expirationAfterWrite(expiry)
					.clientClock(RateLimiter.timeMeter(clock))
					.build();
				yield new BucketStore(RateLimiter.shared(buckets, properties.unsynchronizedShare()), buckets, pool);
			}
		};
	}

	@Bean
	EdgeLimits edgeLimits(RateLimitProperties properties, BucketStore store, Clock clock, MeterRegistry meters) {
		return new EdgeLimits(properties, new RateLimiter(store.store, meters, clock));
	}

	/** The filter by client address, for each security chain that serves the API's port. */
	static RateLimitFilters.ByAddress byAddress(EdgeLimits limits, Environment environment) {
		return new RateLimitFilters.ByAddress(limits, () -> {
			String port = environment.getProperty("local.server.port");
			return port == null ? -1 : Integer.parseInt(port);
		});
	}
}
