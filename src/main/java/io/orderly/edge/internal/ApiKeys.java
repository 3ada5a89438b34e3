package io.orderly.edge.internal;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.orderly.platform.messaging.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API keys of machine clients: {@code ok_} and 43 random characters, shown once, kept as a
 * SHA-256. A key has a scope ({@code read} or {@code read-write}), a tier (for rate limits), an
 * expiry; rotating gives a new secret and keeps the old one valid for an overlap; revoking ends
 * both. Each instance caches what a secret resolves to for {@code orderly.auth.api-keys.cache-ttl};
 * a change to a key evicts it on every instance at once over {@code NOTIFY}, sent after commit,
 * and expiry is checked on each request against the clock.
 */
class ApiKeys {

	static final String PREFIX = "ok_";

	static final String CHANNEL = "edge_api_keys";

	private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

	private static final SecureRandom random = new SecureRandom();

	enum Scope {
		READ("read"), READ_WRITE("read-write");

		final String value;

		Scope(String value) {
			this.value = value;
		}

		static Optional<Scope> of(String value) {
			for (Scope scope : values()) {
				if (scope.value.equals(value)) {
					return Optional.of(scope);
				}
			}
			return Optional.empty();
		}
	}

	enum Tier {
		FREE, STANDARD, PREMIUM;

		String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		static Optional<Tier> of(String value) {
			for (Tier tier : values()) {
				if (tier.value().equals(value)) {
					return Optional.of(tier);
				}
			}
			return Optional.empty();
		}
	}

	/** A key as listed: never its secret nor the secret's hash. */
	record ApiKey(String id, String name, String scope, String tier, String tenant, String secretHint, Instant createdAt, String createdBy,
			Instant rotatedAt, Instant previousValidUntil, Instant expiresAt, Instant revokedAt) {

		boolean activeAt(Instant now) {
			return revokedAt == null && now.isBefore(expiresAt);
		}
	}

	/** A key and, once, its secret. */
	record Issued(ApiKey key, String secret) {
	}

	/** What a presented secret resolves to; {@code previousUntil} set when it is the rotated-out one. */
	private record Resolved(ApiKey key, Instant previousUntil) {
	}

	private static final Resolved UNKNOWN = new Resolved(null, null);

	private final JdbcClient jdbc;

	private final Notifications notifications;

	private final Clock clock;

	private final Cache<String, Resolved> bySecretHash;

	ApiKeys(JdbcClient jdbc, Notifications notifications, Clock clock, Duration cacheTtl) {
		this.jdbc = jdbc;
		this.notifications = notifications;
		this.clock = clock;
		this.bySecretHash = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(cacheTtl).build();
		notifications.listen(CHANNEL, new Notifications.Listener() {
			@Override
			public void on(String keyId) {
				evict(keyId);
			}

			@Override
			public void listeningRestarted() {
				bySecretHash.invalidateAll();
			}
		});
	}

	Issued create(String name, Scope scope, Tier tier, String tenant, Instant expiresAt, String by) {
		String id = "key_" + randomText(12);
		String secret = newSecret();
		Instant now = clock.instant();
		jdbc.sql("""
				insert into edge.api_keys (id, name, scope, tier, tenant, secret_hash, secret_hint, created_at, created_by,
				                           expires_at)
				values (:id, :name, :scope, :tier, :tenant, :hash, :hint, :now, :by, :expiresAt)""")
			.param("id", id)
			.param("name", name)
			.param("scope", scope.value)
			.param("tier", tier.value())
			.param("tenant", tenant)
			.param("hash", Secrets.sha256(secret))
			.param("hint", hint(secret))
			.param("now", Timestamp.from(now))
			.param("by", by)
			.param("expiresAt", Timestamp.from(expiresAt))
			.update();
		log.info("API key {} ({}, {}, {}) created by {}", id, name, scope.value, tier.value(), by);
		return new Issued(find(id).orElseThrow(), secret);
	}

	/** A new secret; the current one stays valid for {@code overlap}. Empty when no active key has this id. */
	Optional<Issued> rotate(String id, Duration overlap, String by) {
		String secret = newSecret();
		Instant now = clock.instant();
		int changed = jdbc.sql("""
				update edge.api_keys
				   set previous_secret_hash = secret_hash, previous_valid_until = :until,
				       secret_hash = :hash, secret_hint = :hint, rotated_at = :now
				 where id = :id and revoked_at is null and expires_at > :now""")
			.param("id", id)
			.param("until", Timestamp.from(now.plus(overlap)))
			.param("hash", Secrets.sha256(secret))
			.param("hint", hint(secret))
			.param("now", Timestamp.from(now))
			.update();
		if (changed == 0) {
			return Optional.empty();
		}
		changed(id);
		log.info("API key {} rotated by {}; the previous secret is valid until {}", id, by, now.plus(overlap));
		return Optional.of(new Issued(find(id).orElseThrow(), secret));
	}

	/** Ends the key and every secret it had, on every instance. False when there is no such key. */
	boolean revoke(String id, String by) {
		int changed = jdbc.sql("""
				update edge.api_keys set revoked_at = coalesce(revoked_at, :now), revoked_by = coalesce(revoked_by, :by)
				 where id = :id""")
			.param("id", id)
			.param("now", Timestamp.from(clock.instant()))
			.param("by", by)
			.update();
		if (changed > 0) {
			changed(id);
			log.info("API key {} revoked by {}", id, by);
		}
		return changed > 0;
	}

	Optional<ApiKey> find(String id) {
		return jdbc.sql("select * from edge.api_keys where id = :id").param("id", id).query(ApiKeys::key).optional();
	}

	List<ApiKey> list() {
		return jdbc.sql("select * from edge.api_keys order by created_at desc, id").query(ApiKeys::key).list();
	}

	/** The active key this secret belongs to (its current one, or the previous within the overlap). */
	Optional<ApiKey> authenticate(String secret) {
		if (!secret.startsWith(PREFIX) || secret.length() > 200) {
			return Optional.empty();
		}
		String hash = Secrets.sha256(secret);
		Resolved resolved = bySecretHash.get(hash, this::load);
		Instant now = clock.instant();
		if (resolved.key() == null || !resolved.key().activeAt(now)
				|| (resolved.previousUntil() != null && !now.isBefore(resolved.previousUntil()))) {
			return Optional.empty();
		}
		return Optional.of(resolved.key());
	}

	private Resolved load(String hash) {
		return jdbc.sql("select * from edge.api_keys where secret_hash = :hash or previous_secret_hash = :hash")
			.param("hash", hash)
			.query((rs, n) -> new Resolved(key(rs, n), hash.equals(rs.getString("previous_secret_hash"))
					? rs.getTimestamp("previous_valid_until").toInstant() : null))
			.optional()
			.orElse(UNKNOWN);
	}

	/** Signals a changed key after its change committed. */
	private void changed(String id) {
		evict(id);
		notifications.send(CHANNEL, id);
	}

	private void evict(String keyId) {
		bySecretHash.asMap().values().removeIf(resolved -> resolved.key() != null && resolved.key().id().equals(keyId));
	}

	private static ApiKey key(ResultSet rs, int row) throws SQLException {
		return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("scope"), rs.getString("tier"),
				rs.getString("tenant"), rs.getString("secret_hint"), instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "rotated_at"),
				instant(rs, "previous_valid_until"), instant(rs, "expires_at"), instant(rs, "revoked_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	private static String newSecret() {
		return PREFIX + randomText(32);
	}

	private static String hint(String secret) {
		return secret.substring(0, PREFIX.length() + 4) + "...";
	}

	private static String randomText(int bytes) {
		byte[] value = new byte[bytes];
		random.nextBytes(value);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
	}
}
