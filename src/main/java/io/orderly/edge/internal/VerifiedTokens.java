package io.orderly.edge.internal;

import java.time.Duration;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Remembers the tokens whose signature was verified, so that a client sending the same token
 * on every request pays for parsing and the RSA or EC check once, not each time (they were a
 * fifth of a read's CPU). What can change while a token lives is checked on every request
 * still: its times against the clock and its revocation, by the same validator the verifying
 * decoder runs. A token is remembered at most as long as an instance trusts its copy of the
 * issuer's key set, so a key withdrawn from the set stops being honoured as soon as it would
 * without this memory; only verified tokens are remembered, so garbage cannot fill it.
 */
final class VerifiedTokens implements JwtDecoder {

	private final JwtDecoder verifying;

	private final OAuth2TokenValidator<Jwt> validator;

	private final Cache<String, Jwt> verified;

	/**
	 * @param verifying decodes, verifies the signature and runs {@code validator}
	 * @param validator what is checked again on each use of a remembered token
	 * @param keySetTrust how long a verified token is remembered
	 */
	VerifiedTokens(JwtDecoder verifying, OAuth2TokenValidator<Jwt> validator, Duration keySetTrust, long capacity) {
		this.verifying = verifying;
		this.validator = validator;
		this.verified = Caffeine.newBuilder().maximumSize(capacity).expireAfterWrite(keySetTrust).build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt known = verified.getIfPresent(token);
		if (known == null) {
			Jwt jwt = verifying.decode(token);
			verified.put(token, jwt);
			return jwt;
		}
		OAuth2TokenValidatorResult result = validator.validate(known);
		if (result.hasErrors()) {
			// Left remembered: a revoked or expired token shown again is refused without the RSA check.
			String description = result.getErrors()
				.stream()
				.map(OAuth2Error::getDescription)
				.filter(d -> d != null && !d.isBlank())
				.collect(Collectors.joining(", "));
			throw new JwtValidationException(
					"An error occurred while attempting to decode the Jwt: " + description, result.getErrors());
		}
		return known;
	}
}
