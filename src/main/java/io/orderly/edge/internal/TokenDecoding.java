package io.orderly.edge.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.orderly.edge.Role;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * How a bearer token becomes a caller: its signature checked against the issuer's keys
 * (RS256 or ES256 only, so {@code alg: none} and an HMAC made with a public key are refused),
 * then its issuer, audience and times with the configured clock-skew leeway, against the
 * injected clock; roles read from the configured claim.
 */
final class TokenDecoding {

	/** Verified tokens remembered per instance (a few KB each). */
	private static final long VERIFIED_TOKENS = 10_000;

	private TokenDecoding() {
	}

	/** A decoder for the embedded issuer: keys straight from the database-backed key set. */
	static JwtDecoder embedded(JWKSource<SecurityContext> keys, String issuer, AuthProperties properties, Clock clock,
			OAuth2TokenValidator<Jwt> revocations) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys)
			.jwsAlgorithms(algorithms -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.build();
		return remembering(decoder, new DelegatingOAuth2TokenValidator<>(validator(issuer, properties, clock), revocations),
				properties);
	}

	/** A decoder for an external issuer: its JWKS found through its discovery document. */
	static JwtDecoder external(AuthProperties properties, Clock clock, OAuth2TokenValidator<Jwt> revocations) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(properties.issuerUri())
			.jwsAlgorithms(algorithms -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.build();
		return remembering(decoder,
				new DelegatingOAuth2TokenValidator<>(validator(properties.issuerUri(), properties, clock), revocations),
				properties);
	}

	/** Verifies a token's signature once; checks its times and revocation on every use. */
	private static JwtDecoder remembering(NimbusJwtDecoder decoder, OAuth2TokenValidator<Jwt> validator,
			AuthProperties properties) {
		decoder.setJwtValidator(validator);
		return new VerifiedTokens(decoder, validator, properties.keys().cacheTtl(), VERIFIED_TOKENS);
	}

	static OAuth2TokenValidator<Jwt> validator(String issuer, AuthProperties properties, Clock clock) {
		JwtTimestampValidator times = new JwtTimestampValidator(properties.clockSkew());
		times.setClock(clock);
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(times);
		validators.add(issuedInThePast(properties, clock));
		validators.add(notLongerLivedThanAccepted(properties));
		validators.add(new JwtIssuerValidator(issuer));
		validators.add(new JwtClaimValidator<List<String>>("aud",
				aud -> aud != null && aud.contains(properties.audience())));
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	/** {@code iat} may not lie in the future by more than the leeway. */
	private static OAuth2TokenValidator<Jwt> issuedInThePast(AuthProperties properties, Clock clock) {
		return jwt -> {
			Instant issuedAt = jwt.getIssuedAt();
			if (issuedAt != null && issuedAt.isAfter(clock.instant().plus(properties.clockSkew()))) {
				return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
						"The token was issued in the future", null));
			}
			return OAuth2TokenValidatorResult.success();
		};
	}

	/**
	 * A token must say when it was issued and expires, and may live at most
	 * {@code access-token-ttl}: revocations are kept that long, so a longer-lived token could
	 * outlive its revocation.
	 */
	private static OAuth2TokenValidator<Jwt> notLongerLivedThanAccepted(AuthProperties properties) {
		return jwt -> {
			Instant issuedAt = jwt.getIssuedAt();
			Instant expiresAt = jwt.getExpiresAt();
			if (expiresAt == null || issuedAt == null
					|| java.time.Duration.between(issuedAt, expiresAt).compareTo(properties.accessTokenTtl()) > 0) {
				return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
						"The token lives longer than accepted here", null));
			}
			return OAuth2TokenValidatorResult.success();
		};
	}

	/** Roles from a claim or a dotted path ({@code realm_access.roles} for Keycloak), as ROLE_ authorities. */
	static JwtAuthenticationConverter authentication(AuthProperties properties) {
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(roles(properties.rolesClaim()));
		return converter;
	}

	static Converter<Jwt, Collection<GrantedAuthority>> roles(String claimPath) {
		String[] path = claimPath.split("\\.");
		return jwt -> {
			Object value = jwt.getClaims();
			for (String part : path) {
				value = value instanceof Map<?, ?> map ? map.get(part) : null;
			}
			List<GrantedAuthority> authorities = new ArrayList<>();
			if (value instanceof Collection<?> names) {
				for (Object name : names) {
					Role.fromClaim(String.valueOf(name))
						.ifPresent(role -> authorities.add(new SimpleGrantedAuthority(role.authority())));
				}
			}
			return authorities;
		};
	}
}
