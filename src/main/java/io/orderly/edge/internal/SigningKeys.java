package io.orderly.edge.internal;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded issuer's signing keys, kept in {@code edge.signing_keys} so that tokens outlive
 * a restart and every instance signs and verifies with the same keys.
 *
 * <p>Rotation with an overlap: a new key is written {@code publish-ahead} before it starts to
 * sign, so every instance has it in its key set (refreshed every {@code cache-ttl}) before
 * the first token signed with it arrives. The key it replaces stays published and accepted
 * until the last token it signed has expired ({@code access-token-ttl} plus the clock skew),
 * so nobody is logged out by a rotation. Instances rotate under a transaction-scoped advisory
 * lock: one of them writes the next key, the others find it.
 *
 * <p>As a {@link JWKSource} it serves every published key (the JWKS endpoint shows their
 * public halves; the token decoder picks one by {@code kid}); {@link #signing()} serves only
 * the key that signs now.
 */
final class SigningKeys implements JWKSource<SecurityContext> {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	/** An arbitrary constant naming the rotation's advisory lock. */
	private static final long ROTATION_LOCK = 0x0ede_5167_0000_0001L;

	record Key(String kid, RSAKey jwk, Instant activeFrom, Instant retireAt) {

		boolean publishedAt(Instant now) {
			return retireAt == null || now.isBefore(retireAt);
		}

		boolean signsAt(Instant now) {
			return !now.isBefore(activeFrom) && publishedAt(now);
		}
	}

	private record Snapshot(List<Key> keys, Instant loadedAt) {
	}

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final AuthProperties properties;

	private volatile Snapshot snapshot = new Snapshot(List.of(), Instant.MIN);

	SigningKeys(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, AuthProperties properties) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
		this.properties = properties;
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		Instant now = clock.instant();
		List<JWK> found = selector.select(new JWKSet(published(now)));
		String kid = selector.getMatcher().getKeyIDs() == null ? null
				: selector.getMatcher().getKeyIDs().stream().findFirst().orElse(null);
		if (found.isEmpty() && kid != null && snapshot.loadedAt().isBefore(now.minusSeconds(1))) {
			// A kid we have not seen: another instance may have just written it. Look once more
			// (at most once a second, so unknown kids cannot make us hammer the database).
			reload(now);
			found = selector.select(new JWKSet(published(now)));
		}
		return found;
	}

	/** A source holding only the key that signs now, for the token encoder. */
	JWKSource<SecurityContext> signing() {
		return (selector, context) -> {
			Instant now = clock.instant();
			Key key = current(now).orElseThrow(() -> new IllegalStateException("No signing key is active"));
			return selector.select(new JWKSet(key.jwk()));
		};
	}

	Optional<Key> current(Instant now) {
		return keys(now).stream().filter(k -> k.signsAt(now)).max(Comparator.comparing(Key::activeFrom));
	}

	private List<JWK> published(Instant now) {
		return keys(now).stream().filter(k -> k.publishedAt(now)).map(k -> (JWK) k.jwk()).toList();
	}

	private List<Key> keys(Instant now) {
		Snapshot s = snapshot;
		if (s.loadedAt().isBefore(now.minus(properties.keys().cacheTtl()))) {
			s = reload(now);
		}
		return s.keys();
	}

	private Snapshot reload(Instant now) {
		List<Key> keys = jdbc.sql("select kid, jwk, active_from, retire_at from signing_keys order by active_from")
			.query((rs, n) -> new Key(rs.getString("kid"), parse(rs.getString("jwk")),
					rs.getTimestamp("active_from").toInstant(),
					rs.getTimestamp("retire_at") == null ? null : rs.getTimestamp("retire_at").toInstant()))
			.list();
		Snapshot fresh = new Snapshot(keys, now);
		snapshot = fresh;
		return fresh;
	}

	/**
	 * Writes a first key if there is none, the next key {@code publish-ahead} before the
	 * current one's period ends, and the retirement of keys that no longer sign.
	 */
	@Scheduled(fixedDelayString = "${orderly.auth.keys.check-interval:60s}")
	void rotate() {
		Instant now = clock.instant();
		transactions.executeWithoutResult(tx -> {
			jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", ROTATION_LOCK).query().singleRow();
			List<Key> keys = reload(now).keys();
			Optional<Key> current = keys.stream().filter(k -> k.signsAt(now)).max(Comparator.comparing(Key::activeFrom));
			if (current.isEmpty()) {
				insert(now, now);
				return;
			}
			Instant nextActive = current.get().activeFrom().plus(properties.keys().rotationPeriod());
			boolean nextWritten = keys.stream().anyMatch(k -> k.activeFrom().isAfter(current.get().activeFrom()));
			if (!nextWritten && !now.isBefore(nextActive.minus(properties.keys().publishAhead()))) {
				Instant activeFrom = later(nextActive, now.plus(properties.keys().publishAhead()));
				insert(now, activeFrom);
				log.info("auth_key_rotation: next signing key published, signs from {}", activeFrom);
			}
			Instant retireAt = current.get().activeFrom().plus(properties.accessTokenTtl()).plus(properties.clockSkew());
			jdbc.sql("update signing_keys set retire_at = :retireAt where active_from < :activeFrom and retire_at is null")
				.param("retireAt", java.sql.Timestamp.from(retireAt))
				.param("activeFrom", java.sql.Timestamp.from(current.get().activeFrom()))
				.update();
			jdbc.sql("delete from signing_keys where retire_at < :before")
				.param("before", java.sql.Timestamp.from(now.minus(java.time.Duration.ofDays(1))))
				.update();
		});
		reload(now);
	}

	private void insert(Instant now, Instant activeFrom) {
		String kid = UUID.randomUUID().toString();
		try {
			RSAKey jwk = new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
			jdbc.sql("insert into signing_keys (kid, jwk, created_at, active_from) values (:kid, :jwk, :now, :activeFrom)")
				.param("kid", kid)
				.param("jwk", jwk.toJSONString())
				.param("now", java.sql.Timestamp.from(now))
				.param("activeFrom", java.sql.Timestamp.from(activeFrom))
				.update();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException("Could not generate a signing key", ex);
		}
	}

	private static Instant later(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private static RSAKey parse(String json) {
		try {
			return RSAKey.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("A stored signing key cannot be read", ex);
		}
	}
}
