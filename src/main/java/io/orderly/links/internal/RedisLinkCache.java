package io.orderly.links.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * The shared tier on Redis. Entries are {@code <prefix><code>} → {@code R} (gone) or
 * {@code T<expiresAt millis or empty>|<url>}, each with a TTL. Every command has a short
 * timeout and fails at once while Redis is unreachable (the redirect path then reads the
 * database); the connection is retried in the background.
 */
public class RedisLinkCache implements SharedLinkCache, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RedisLinkCache.class);

	private static final Duration RECONNECT_EVERY = Duration.ofSeconds(1);

	private static final int MAX_UNRECORDED = 100_000;

	private final Map<String, Duration> unrecordedRemovals = new ConcurrentHashMap<>();

	private final RedisClient client;

	private final String prefix;

	private final Counter hits;

	private final Counter misses;

	private final Counter errors;

	private volatile StatefulRedisConnection<String, String> connection;

	private volatile long nextConnectAttempt;

	public RedisLinkCache(String url, Duration timeout, String prefix, MeterRegistry meters) {
		this.client = RedisClient.create(RedisURI.create(url));
		this.client.setOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(timeout))
			.build());
		this.client.setDefaultTimeout(timeout);
		this.prefix = prefix;
		this.hits = counter(meters, "hit");
		this.misses = counter(meters, "miss");
		this.errors = counter(meters, "error");
	}

	private static Counter counter(MeterRegistry meters, String result) {
		return Counter.builder("orderly.links.shared.cache")
			.description("Reads and writes of the shared link cache (Redis) by result")
			.tag("result", result)
			.register(meters);
	}

	@Override
	public LinkCache.Target get(String code) {
		RedisCommands<String, String> redis = commands();
		if (redis == null) {
			return null;
		}
		try {
			String value = redis.get(prefix + code);
			(value == null ? misses : hits).increment();
			return value == null ? null : decode(value);
		}
		catch (RuntimeException ex) {
			failed("read", code, ex);
			return null;
		}
	}

	@Override
	public void putIfAbsent(String code, LinkCache.Target target, Duration ttl) {
		set(code, encode(target), SetArgs.Builder.nx().px(ttl));
	}

	@Override
	public void markRemoved(String code, Duration ttl) {
		if (!set(code, "R", SetArgs.Builder.px(ttl)) && unrecordedRemovals.size() < MAX_UNRECORDED) {
			unrecordedRemovals.put(code, ttl);
		}
	}

	/** Records again the removals Redis missed, so that it cannot keep serving a removed link. */
	@Scheduled(fixedDelay = 1000)
	void recordMissedRemovals() {
		for (Map.Entry<String, Duration> removal : unrecordedRemovals.entrySet()) {
			if (!set(removal.getKey(), "R", SetArgs.Builder.px(removal.getValue()))) {
				return;
			}
			unrecordedRemovals.remove(removal.getKey());
		}
	}

	@Override
	public void evict(String code) {
		RedisCommands<String, String> redis = commands();
		if (redis == null) {
			return;
		}
		try {
			redis.del(prefix + code);
		}
		catch (RuntimeException ex) {
			failed("delete", code, ex);
		}
	}

	/** True when Redis took the command (a put-if-absent counts even when it set nothing). */
	private boolean set(String code, String value, SetArgs args) {
		RedisCommands<String, String> redis = commands();
		if (redis == null) {
			return false;
		}
		try {
			redis.set(prefix + code, value, args);
			return true;
		}
		catch (RuntimeException ex) {
			failed("write", code, ex);
			return false;
		}
	}

	private RedisCommands<String, String> commands() {
		StatefulRedisConnection<String, String> current = connection;
		if (current != null) {
			return current.sync();
		}
		long now = System.nanoTime();
		if (now - nextConnectAttempt < 0) {
			errors.increment();
			return null;
		}
		synchronized (this) {
			if (connection == null && now - nextConnectAttempt >= 0) {
				nextConnectAttempt = now + RECONNECT_EVERY.toNanos();
				try {
					// Once connected, Lettuce reconnects by itself after a drop.
					connection = client.connect();
					log.info("Shared link cache connected to Redis");
				}
				catch (RuntimeException ex) {
					log.warn("Shared link cache: Redis unreachable, redirects read the database ({})", ex.getMessage());
				}
			}
			if (connection == null) {
				errors.increment();
				return null;
			}
			return connection.sync();
		}
	}

	private void failed(String what, String code, RuntimeException ex) {
		errors.increment();
		log.debug("Shared link cache: {} of {} failed", what, code, ex);
	}

	static String encode(LinkCache.Target target) {
		if (target.removed()) {
			return "R";
		}
		return "T" + (target.expiresAt() == null ? "" : Long.toString(target.expiresAt().toEpochMilli())) + "|" + target.url();
	}

	static LinkCache.Target decode(String value) {
		if (value.startsWith("R")) {
			return new LinkCache.Target(null, null, true);
		}
		int bar = value.indexOf('|');
		String expires = value.substring(1, bar);
		return new LinkCache.Target(value.substring(bar + 1),
				expires.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(expires)), false);
	}

	@Override
	public void close() {
		StatefulRedisConnection<String, String> current = connection;
		if (current != null) {
			current.close();
		}
		client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}
}
