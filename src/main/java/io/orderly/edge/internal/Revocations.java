package io.orderly.edge.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.orderly.platform.messaging.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Tokens refused although their signature holds: one access token by {@code jti}, every token
 * of a subject issued up to an instant, every token of one login's refresh-token family
 * (claim {@value #FAMILY_CLAIM}). The rows in {@code edge.revocations} are the truth; each
 * instance holds all live ones in memory (they live no longer than the longest token lifetime
 * accepted) and re-reads them when any instance signals a new one over {@code NOTIFY}, after
 * the revocation committed, and every {@code orderly.auth.revocations.poll-interval} in case a
 * signal was lost with the instance that was to send it.
 */
class Revocations implements OAuth2TokenValidator<Jwt> {

	/** The claim of the embedded issuer's access tokens that names their refresh-token family. */
	static final String FAMILY_CLAIM = "fam";

	static final String CHANNEL = "edge_revocations";

	private static final Logger log = LoggerFactory.getLogger(Revocations.class);

	private static final OAuth2Error REVOKED = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The token was revoked", null);

	enum Kind {
		TOKEN, SUBJECT, FAMILY;

		String column() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	/** What is revoked now: read whole, replaced whole. */
	private record Snapshot(Set<String> tokens, Map<String, Instant> subjects, Set<String> families) {

		static final Snapshot EMPTY = new Snapshot(Set.of(), Map.of(), Set.of());
	}

	private final JdbcClient jdbc;

	private final Notifications notifications;

	private final Clock clock;

	private final Duration retention;

	private volatile Snapshot revoked = Snapshot.EMPTY;

	Revocations(JdbcClient jdbc, Notifications notifications, Clock clock, AuthProperties properties) {
		this.jdbc = jdbc;
		this.notifications = notifications;
		this.clock = clock;
		this.retention = properties.accessTokenTtl().plus(properties.clockSkew());
		notifications.listen(CHANNEL, new Notifications.Listener() {
			@Override
			public void on(String payload) {
				reload();
			}

			@Override
			public void listeningRestarted() {
				reload();
			}
		});
		reload();
	}

	/** Refuses one access token from now on, everywhere. */
	void revokeToken(String jti, String by, String reason) {
		record(Kind.TOKEN, jti, null, by, reason);
	}

	/** Refuses every token of {@code subject} issued up to now (to the second), everywhere. */
	void revokeSubject(String subject, String by, String reason) {
		record(Kind.SUBJECT, subject, clock.instant(), by, reason);
	}

	/** Refuses every access token issued under one refresh-token family, everywhere. */
	void revokeFamily(String family, String by, String reason) {
		record(Kind.FAMILY, family, null, by, reason);
	}

	private void record(Kind kind, String value, Instant issuedBefore, String by, String reason) {
		Instant now = clock.instant();
		// Committed on its own first, then signalled: a NOTIFY inside a commit would serialise it
		// with every other commit that notifies.
		jdbc.sql("""
				insert into edge.revocations (kind, value, issued_before, revoked_at, expires_at, revoked_by, reason)
				values (:kind, :value, :issuedBefore, :now, :expiresAt, :by, :reason)""")
			.param("kind", kind.column())
			.param("value", value)
			.param("issuedBefore", issuedBefore == null ? null : java.sql.Timestamp.from(issuedBefore))
			.param("now", java.sql.Timestamp.from(now))
			.param("expiresAt", java.sql.Timestamp.from(now.plus(retention)))
			.param("by", by)
			.param("reason", reason)
			.update();
		log.info("Revoked {} {} ({}, by {})", kind.column(), value, reason, by);
		reload();
		notifications.send(CHANNEL, kind.column());
	}

	@Scheduled(fixedDelayString = "${orderly.auth.revocations.poll-interval:5s}")
	void reload() {
		Set<String> tokens = new HashSet<>();
		Map<String, Instant> subjects = new HashMap<>();
		Set<String> families = new HashSet<>();
		jdbc.sql("select kind, value, issued_before from edge.revocations where expires_at > :now")
			.param("now", java.sql.Timestamp.from(clock.instant()))
			.query((rs, n) -> {
				String value = rs.getString("value");
				switch (rs.getString("kind")) {
					case "token" -> tokens.add(value);
					case "family" -> families.add(value);
					default -> subjects.merge(value, rs.getTimestamp("issued_before").toInstant(),
							(a, b) -> a.isAfter(b) ? a : b);
				}
				return null;
			})
			.list();
		revoked = new Snapshot(Set.copyOf(tokens), Map.copyOf(subjects), Set.copyOf(families));
	}

	@Scheduled(fixedDelayString = "${orderly.auth.revocations.purge-interval:10m}")
	void purge() {
		Instant now = clock.instant();
		jdbc.sql("delete from edge.revocations where expires_at <= :now").param("now", java.sql.Timestamp.from(now)).update();
		jdbc.sql("delete from edge.spent_refresh_tokens where expires_at <= :now")
			.param("now", java.sql.Timestamp.from(now))
			.update();
	}

	@Override
	public OAuth2TokenValidatorResult validate(Jwt token) {
		return isRevoked(token) ? OAuth2TokenValidatorResult.failure(REVOKED) : OAuth2TokenValidatorResult.success();
	}

	boolean isRevoked(Jwt token) {
		Snapshot now = revoked;
		if (token.getId() != null && now.tokens().contains(token.getId())) {
			return true;
		}
		Object family = token.getClaims().get(FAMILY_CLAIM);
		if (family != null && now.families().contains(family.toString())) {
			return true;
		}
		Instant revokedUpTo = token.getSubject() == null ? null : now.subjects().get(token.getSubject());
		if (revokedUpTo == null) {
			return false;
		}
		// iat has whole seconds: a token issued in the second of the revocation is refused too.
		Instant issuedAt = token.getIssuedAt();
		return issuedAt == null || !issuedAt.isAfter(revokedUpTo);
	}
}
