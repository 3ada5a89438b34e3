package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.zaxxer.hikari.HikariDataSource;
import io.orderly.IntegrationTest;
import io.orderly.platform.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two instances sharing a database rotate the signing key on a clock the test moves: the next
 * key is accepted everywhere before it signs, a token signed with the old key stays valid until
 * it expires, and the old key is retired after that. (A context of its own: it moves keys.)
 */
@IntegrationTest
@TestPropertySource(properties = "orderly.auth.keys.check-interval=1h")
class SigningKeyRotationIntegrationTest {

	private static final AuthProperties PROPERTIES = new AuthProperties(null, "http://orderly.test", "orderly",
			Duration.ofSeconds(30), "roles", Duration.ofMinutes(15), Duration.ofHours(8),
			new AuthProperties.Keys(Duration.ofDays(30), Duration.ofMinutes(10), Duration.ofMinutes(1)),
			new AuthProperties.Demo(false, null, null), new AuthProperties.Revocations(Duration.ofSeconds(5)),
			new AuthProperties.ApiKeyRules(Duration.ofSeconds(30), Duration.ofHours(24), Duration.ofDays(400)), false);

	@Autowired
	DataSource dataSource;

	HikariDataSource pool;

	final MutableClock clock = new MutableClock();

	SigningKeys a;

	SigningKeys b;

	@BeforeEach
	void instances() {
		pool = EdgeDatabase.poolBeside(dataSource);
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
		a = new SigningKeys(JdbcClient.create(pool), transactions, clock, PROPERTIES);
		b = new SigningKeys(JdbcClient.create(pool), transactions, clock, PROPERTIES);
	}

	@AfterEach
	void close() {
		pool.close();
	}

	private List<String> published(SigningKeys keys) {
		return keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null).stream().map(JWK::getKeyID).toList();
	}

	private String sign(SigningKeys keys) {
		Instant now = clock.instant();
		return new NimbusJwtEncoder(keys.signing())
			.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(),
					JwtClaimsSet.builder().issuer("http://orderly.test").audience(List.of("orderly")).subject("alice")
						.issuedAt(now).notBefore(now).expiresAt(now.plus(PROPERTIES.accessTokenTtl())).build()))
			.getTokenValue();
	}

	@Test
	void rotatesWithAnOverlapSoThatNobodyIsLoggedOut() {
		a.rotate();
		SigningKeys.Key first = a.current(clock.instant()).orElseThrow();
		Duration untilNext = Duration.between(clock.instant(), first.activeFrom().plus(Duration.ofDays(30)));
		JwtDecoder decoderOfB = TokenDecoding.embedded(b, "http://orderly.test", PROPERTIES, clock, jwt -> org.springframework.security.oauth2.core.OAuth2TokenValidatorResult.success());

		// Ten minutes before the period ends, instance a writes the next key; b is told within its cache time.
		clock.advance(untilNext.minus(Duration.ofMinutes(10)));
		a.rotate();
		clock.advance(Duration.ofSeconds(61));
		List<String> beforeItSigns = published(b);
		assertThat(beforeItSigns).hasSize(2).contains(first.kid());
		assertThat(a.current(clock.instant()).orElseThrow().kid()).isEqualTo(first.kid());

		// The last token signed with the first key, a second before the next one takes over.
		clock.advance(Duration.ofMinutes(10).minusSeconds(61 + 1));
		String signedWithFirst = sign(a);

		// The next key signs once its time comes, on both instances.
		clock.advance(Duration.ofSeconds(2));
		a.rotate();
		String second = a.current(clock.instant()).orElseThrow().kid();
		assertThat(second).isNotEqualTo(first.kid());
		assertThat(b.current(clock.instant()).orElseThrow().kid()).isEqualTo(second);
		assertThat(decoderOfB.decode(sign(a)).getSubject()).isEqualTo("alice");

		// A token signed with the first key just before is still good until it expires.
		clock.advance(Duration.ofMinutes(14));
		assertThat(decoderOfB.decode(signedWithFirst).getSubject()).isEqualTo("alice");

		// Then the first key is retired everywhere.
		clock.advance(Duration.ofMinutes(3));
		a.rotate();
		assertThat(published(b)).containsExactly(second);
	}
}
