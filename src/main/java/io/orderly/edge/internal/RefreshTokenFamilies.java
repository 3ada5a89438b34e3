package io.orderly.edge.internal;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * The embedded issuer's store of granted authorizations, with what Spring Authorization Server
 * leaves to us: each login is a family (one authorization, its id in the access tokens' claim
 * {@value Revocations#FAMILY_CLAIM}) whose refresh token rotates on every use. A refresh token
 * already exchanged is remembered (its hash); when one is shown again, it was copied, and the
 * whole family ends: the authorization is removed and its access tokens revoked everywhere. A
 * token revoked at the standard revocation endpoint (RFC 7009, how a client logs out) is
 * revoked for the API too, which does not read this store.
 */
class RefreshTokenFamilies implements OAuth2AuthorizationService {

	private static final Logger log = LoggerFactory.getLogger(RefreshTokenFamilies.class);

	private final OAuth2AuthorizationService store;

	private final JdbcClient jdbc;

	private final Revocations revocations;

	private final java.time.Clock clock;

	private final java.time.Duration refreshTokenTtl;

	RefreshTokenFamilies(OAuth2AuthorizationService store, JdbcClient jdbc, Revocations revocations,
			java.time.Clock clock, java.time.Duration refreshTokenTtl) {
		this.store = store;
		this.jdbc = jdbc;
		this.revocations = revocations;
		this.clock = clock;
		this.refreshTokenTtl = refreshTokenTtl;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		OAuth2Authorization before = store.findById(authorization.getId());
		if (before != null) {
			spendReplacedRefreshToken(before, authorization);
			revokeInvalidated(before, authorization);
		}
		store.save(authorization);
	}

	private void spendReplacedRefreshToken(OAuth2Authorization before, OAuth2Authorization after) {
		OAuth2Authorization.Token<OAuth2RefreshToken> old = before.getRefreshToken();
		OAuth2Authorization.Token<OAuth2RefreshToken> now = after.getRefreshToken();
		if (old == null || (now != null && now.getToken().getTokenValue().equals(old.getToken().getTokenValue()))) {
			return;
		}
		Instant expiresAt = old.getToken().getExpiresAt() != null ? old.getToken().getExpiresAt()
				: clock.instant().plus(refreshTokenTtl);
		jdbc.sql("""
				insert into edge.spent_refresh_tokens (token_hash, authorization_id, expires_at)
				values (:hash, :id, :expiresAt) on conflict do nothing""")
			.param("hash", Secrets.sha256(old.getToken().getTokenValue()))
			.param("id", before.getId())
			.param("expiresAt", java.sql.Timestamp.from(expiresAt))
			.update();
	}

	/** A client revoking its refresh token (logout) or access token at the revocation endpoint. */
	private void revokeInvalidated(OAuth2Authorization before, OAuth2Authorization after) {
		OAuth2Authorization.Token<OAuth2RefreshToken> refresh = after.getRefreshToken();
		if (refresh != null && refresh.isInvalidated() && !isInvalidated(before.getRefreshToken())) {
			revocations.revokeFamily(after.getId(), after.getPrincipalName(), "refresh token revoked by the client");
			return;
		}
		OAuth2Authorization.Token<OAuth2AccessToken> access = after.getAccessToken();
		if (access != null && access.isInvalidated() && !isInvalidated(before.getAccessToken())
				&& access.getClaims() != null && access.getClaims().get("jti") != null) {
			revocations.revokeToken(access.getClaims().get("jti").toString(), after.getPrincipalName(),
					"access token revoked by the client");
		}
	}

	private static boolean isInvalidated(OAuth2Authorization.Token<?> token) {
		return token != null && token.isInvalidated();
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		store.remove(authorization);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return store.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		OAuth2Authorization found = store.findByToken(token, tokenType);
		if (found == null && (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType))) {
			jdbc.sql("select authorization_id from edge.spent_refresh_tokens where token_hash = :hash")
				.param("hash", Secrets.sha256(token))
				.query(String.class)
				.optional()
				.ifPresent(this::endFamily);
		}
		return found;
	}

	/** A spent refresh token came back: whoever holds the family's tokens may not be its owner. */
	private void endFamily(String authorizationId) {
		OAuth2Authorization family = store.findById(authorizationId);
		if (family == null) {
			return; // ended already (or expired)
		}
		log.warn("A spent refresh token of {} was used again: ending its login (family {})", family.getPrincipalName(),
				authorizationId);
		store.remove(family);
		revocations.revokeFamily(authorizationId, family.getPrincipalName(), "spent refresh token reused");
	}

	/** Ends one login: its refresh token no longer works. */
	void endLogin(String authorizationId) {
		OAuth2Authorization login = store.findById(authorizationId);
		if (login != null) {
			store.remove(login);
		}
	}

	/** Forgets every login of {@code subject}: their refresh tokens no longer work. */
	void endLoginsOf(String subject) {
		jdbc.sql("delete from edge.oauth2_authorization where principal_name = :subject").param("subject", subject).update();
	}
}
