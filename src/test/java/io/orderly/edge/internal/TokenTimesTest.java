package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

/** The clock-skew leeway on exp, nbf and iat, to the second, on a fixed clock. */
class TokenTimesTest {

	private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

	/** The edge's settings as shipped, for tests of token checks. */
	static final AuthProperties PROPERTIES = new AuthProperties(null, "http://orderly.test", "orderly",
			Duration.ofSeconds(30), "roles", Duration.ofMinutes(15), Duration.ofHours(8),
			new AuthProperties.Keys(Duration.ofDays(30), Duration.ofMinutes(10), Duration.ofMinutes(1)),
			new AuthProperties.Demo(false, null, null), new AuthProperties.Revocations(Duration.ofSeconds(5)),
			new AuthProperties.ApiKeyRules(Duration.ofSeconds(30), Duration.ofHours(24), Duration.ofDays(400)), false);

	private final OAuth2TokenValidator<Jwt> validator = TokenDecoding.validator("http://orderly.test", PROPERTIES,
			Clock.fixed(NOW, ZoneOffset.UTC));

	private static Jwt token(Instant issuedAt, Instant notBefore, Instant expiresAt) {
		return Jwt.withTokenValue("t")
			.header("alg", "RS256")
			.issuer("http://orderly.test")
			.audience(List.of("orderly"))
			.subject("alice")
			.issuedAt(issuedAt)
			.notBefore(notBefore)
			.expiresAt(expiresAt)
			.build();
	}

	private boolean valid(Jwt jwt) {
		return !validator.validate(jwt).hasErrors();
	}

	@Test
	void acceptsAnExpiredTokenWithinTheLeewayAndNotASecondLonger() {
		Instant issued = NOW.minusSeconds(900);
		assertThat(valid(token(issued, issued, NOW.minusSeconds(30)))).isTrue();
		assertThat(valid(token(issued, issued, NOW.minusSeconds(31)))).isFalse();
	}

	@Test
	void acceptsATokenNotYetValidWithinTheLeewayAndNotASecondEarlier() {
		assertThat(valid(token(NOW, NOW.plusSeconds(30), NOW.plusSeconds(900)))).isTrue();
		assertThat(valid(token(NOW, NOW.plusSeconds(31), NOW.plusSeconds(900)))).isFalse();
	}

	@Test
	void refusesATokenIssuedInTheFutureBeyondTheLeeway() {
		assertThat(valid(token(NOW.plusSeconds(30), NOW, NOW.plusSeconds(900)))).isTrue();
		assertThat(valid(token(NOW.plusSeconds(31), NOW, NOW.plusSeconds(900)))).isFalse();
	}

	@Test
	void refusesAnotherAudienceOrIssuer() {
		Jwt otherAudience = Jwt.withTokenValue("t").header("alg", "RS256").issuer("http://orderly.test")
			.audience(List.of("billing")).subject("alice").issuedAt(NOW).expiresAt(NOW.plusSeconds(60)).build();
		Jwt otherIssuer = Jwt.withTokenValue("t").header("alg", "RS256").issuer("http://evil.example")
			.audience(List.of("orderly")).subject("alice").issuedAt(NOW).expiresAt(NOW.plusSeconds(60)).build();
		assertThat(valid(otherAudience)).isFalse();
		assertThat(valid(otherIssuer)).isFalse();
	}

	@Test
	void refusesATokenThatLivesLongerThanRevocationsAreKept() {
		assertThat(valid(token(NOW, NOW, NOW.plus(PROPERTIES.accessTokenTtl())))).isTrue();
		assertThat(valid(token(NOW, NOW, NOW.plus(PROPERTIES.accessTokenTtl()).plusSeconds(1)))).isFalse();
		assertThat(valid(token(null, NOW, NOW.plusSeconds(60)))).as("no issue time").isFalse();
	}
}
