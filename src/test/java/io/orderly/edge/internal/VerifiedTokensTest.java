package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.platform.SteppedClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * A token's signature is verified once; what can change while it lives (its expiry on the
 * clock, its revocation) is checked on every use of the remembered token.
 */
class VerifiedTokensTest {

	private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

	private static final AuthProperties PROPERTIES = TokenTimesTest.PROPERTIES;

	private final SteppedClock clock = new SteppedClock(NOW);

	private final Set<String> revoked = new HashSet<>();

	private final OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
			TokenDecoding.validator("http://orderly.test", PROPERTIES, clock),
			jwt -> revoked.contains(jwt.getId())
					? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "revoked", null))
					: OAuth2TokenValidatorResult.success());

	/** Stands for the signature check: counts its calls, knows tokens "good-*", validates as Nimbus does. */
	private final AtomicInteger verifications = new AtomicInteger();

	private final JwtDecoder verifying = token -> {
		verifications.incrementAndGet();
		if (!token.startsWith("good-")) {
			throw new BadJwtException("bad signature");
		}
		Jwt jwt = Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.issuer("http://orderly.test")
			.audience(List.of("orderly"))
			.subject("alice")
			.jti(token)
			.issuedAt(NOW)
			.expiresAt(NOW.plus(Duration.ofMinutes(15)))
			.build();
		OAuth2TokenValidatorResult result = validator.validate(jwt);
		if (result.hasErrors()) {
			throw new JwtValidationException("invalid", result.getErrors());
		}
		return jwt;
	};

	private final VerifiedTokens tokens = new VerifiedTokens(verifying, validator, Duration.ofMinutes(1), 100);

	@Test
	void verifiesTheSignatureOfATokenOnceForManyRequests() {
		for (int i = 0; i < 5; i++) {
			assertThat(tokens.decode("good-1").getSubject()).isEqualTo("alice");
		}
		assertThat(verifications).hasValue(1);
	}

	@Test
	void refusesARememberedTokenOnceItIsRevoked() {
		tokens.decode("good-1");
		revoked.add("good-1");
		assertThatThrownBy(() -> tokens.decode("good-1")).isInstanceOf(JwtValidationException.class)
			.hasMessageContaining("revoked");
		assertThat(tokens.decode("good-2").getSubject()).as("another token of the same subject").isEqualTo("alice");
	}

	@Test
	void refusesARememberedTokenPastItsExpiryAndTheLeeway() {
		tokens.decode("good-1");
		clock.advance(Duration.ofMinutes(15).plusSeconds(30));
		assertThat(tokens.decode("good-1").getSubject()).as("within the leeway").isEqualTo("alice");
		clock.advance(Duration.ofSeconds(1));
		assertThatThrownBy(() -> tokens.decode("good-1")).isInstanceOf(JwtValidationException.class);
	}

	@Test
	void doesNotRememberWhatFailedVerification() {
		for (int i = 0; i < 3; i++) {
			assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
		}
		assertThat(verifications).hasValue(3);
	}
}
