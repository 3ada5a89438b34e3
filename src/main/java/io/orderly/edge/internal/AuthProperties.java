package io.orderly.edge.internal;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who issues the tokens the API accepts, and how they are checked.
 *
 * @param issuerUri an external OpenID Connect issuer (e.g. a Keycloak realm,
 *        {@code https://kc.example.com/realms/shop}); empty: the embedded issuer at the same
 *        origin, its tokens carrying {@code issuer} as {@code iss}
 * @param issuer the embedded issuer's own URL (its {@code iss}); empty: the request's origin
 * @param audience the {@code aud} a token must carry to be accepted here
 * @param clockSkew leeway on {@code exp}, {@code nbf} and {@code iat}
 * @param rolesClaim where roles are in the token: a claim name, or a dotted path such as
 *        Keycloak's {@code realm_access.roles}
 * @param accessTokenTtl how long an access token of the embedded issuer lives, and the
 *        longest lifetime ({@code exp - iat}) accepted from any issuer: a revocation is kept
 *        this long (plus the leeway), so no revoked token outlives its revocation record
 * @param refreshTokenTtl how long a refresh token lives (each use rotates it)
 * @param keys the embedded issuer's signing keys
 * @param demo the demo accounts of the embedded issuer
 * @param benchmarkWithoutSecurity an open API for {@code bin/bench-edge} only: see
 *        {@link BenchmarkWithoutSecurity} (refused unless the database is a throw-away one)
 */
@ConfigurationProperties("orderly.auth")
public record AuthProperties(String issuerUri, String issuer, @DefaultValue("orderly") String audience,
		@DefaultValue("30s") Duration clockSkew, @DefaultValue("roles") String rolesClaim,
		@DefaultValue("15m") Duration accessTokenTtl, @DefaultValue("8h") Duration refreshTokenTtl,
		@DefaultValue Keys keys, @DefaultValue Demo demo, @DefaultValue Revocations revocations,
		@DefaultValue ApiKeyRules apiKeys, @DefaultValue("false") boolean benchmarkWithoutSecurity) {

	public AuthProperties {
		if (clockSkew.isNegative()) {
			throw new IllegalArgumentException("orderly.auth.clock-skew must not be negative");
		}
		if (accessTokenTtl.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException("orderly.auth.access-token-ttl must be at least one minute");
		}
	}

	public boolean embeddedIssuer() {
		return issuerUri == null || issuerUri.isBlank();
	}

	/**
	 * Signing key rotation of the embedded issuer.
	 *
	 * @param rotationPeriod how long a key signs before the next one takes over
	 * @param publishAhead how long a new key is published (and accepted by every instance)
	 *        before it signs: longer than {@code cacheTtl}, so no instance meets a token
	 *        signed with a key it does not know
	 * @param cacheTtl how long an instance trusts its copy of the key set
	 */
	public record Keys(@DefaultValue("30d") Duration rotationPeriod, @DefaultValue("10m") Duration publishAhead,
			@DefaultValue("1m") Duration cacheTtl) {

		public Keys {
			if (publishAhead.compareTo(cacheTtl) <= 0) {
				throw new IllegalArgumentException("orderly.auth.keys.publish-ahead must be longer than cache-ttl");
			}
		}
	}

	/**
	 * API keys.
	 *
	 * @param cacheTtl how long an instance trusts what a secret resolved to (a change to a key
	 *        reaches every instance at once; this bounds a change whose signal was lost)
	 * @param rotationOverlap how long the previous secret stays valid after a rotation, unless the
	 *        rotation asks for another overlap
	 * @param maxLifetime the latest expiry a new key may have, from its creation
	 */
	public record ApiKeyRules(@DefaultValue("30s") Duration cacheTtl, @DefaultValue("24h") Duration rotationOverlap,
			@DefaultValue("400d") Duration maxLifetime) {
	}

	/** How revocations reach this instance besides the signal sent with each. */
	public record Revocations(@DefaultValue("5s") Duration pollInterval) {
	}

	/**
	 * The demo accounts ({@code alice}, {@code bob}, {@code support}, {@code operator},
	 * {@code admin} and the client {@code shop}). Without a password set here, each gets a
	 * random secret at first start, stored hashed, logged once and written to
	 * {@code credentialsFile} for {@code bin/token}.
	 *
	 * @param enabled whether they are created at all (a production issuer has none)
	 * @param password one password for every demo account (tests set it)
	 * @param credentialsFile where generated secrets are written (owner-readable only)
	 */
	public record Demo(@DefaultValue("true") boolean enabled, String password, Path credentialsFile) {
	}
}
