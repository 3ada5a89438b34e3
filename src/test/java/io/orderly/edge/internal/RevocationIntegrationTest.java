package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import io.orderly.platform.messaging.Notifications;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;

/**
 * Ending tokens before they expire: by jti or subject (admin), by logout, by the client at the
 * revocation endpoint, and by the reuse of a spent refresh token, which ends its whole login.
 * Each is refused here at once and by another instance (a revocation list of its own on the
 * same database, told by the NOTIFY signal alone: it has no poll of its own).
 */
@IntegrationTest
class RevocationIntegrationTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Notifications notifications;

	@Autowired
	Clock clock;

	@Autowired
	AuthProperties properties;

	@Autowired
	JdbcUserDetailsManager users;

	@Autowired
	PasswordEncoder passwords;

	private Revocations anotherInstance() {
		return new Revocations(jdbc, notifications, clock, properties);
	}

	private int status(String token) {
		return Http.anonymous(port).send("/v1/orders", Map.of("Authorization", "Bearer " + token)).status();
	}

	private static JsonNode claims(String token) {
		return json.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
	}

	/** The token as another instance's decoder hands it to its validators. */
	private static Jwt parsed(String token) {
		JsonNode claims = claims(token);
		Jwt.Builder jwt = Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.subject(claims.get("sub").asString())
			.issuedAt(Instant.ofEpochSecond(claims.get("iat").asLong()))
			.expiresAt(Instant.ofEpochSecond(claims.get("exp").asLong()))
			.jti(claims.get("jti").asString());
		if (claims.has(Revocations.FAMILY_CLAIM)) {
			jwt.claim(Revocations.FAMILY_CLAIM, claims.get(Revocations.FAMILY_CLAIM).asString());
		}
		return jwt.build();
	}

	private Http.Response revoke(String body) {
		return new Http(port).post("/v1/admin/revocations", body, Map.of("Content-Type", "application/json"));
	}

	private static String refreshTokenOf(HttpResponse<String> answer) {
		return json.readTree(answer.body()).get("refresh_token").asString();
	}

	private static String accessTokenOf(HttpResponse<String> answer) {
		return json.readTree(answer.body()).get("access_token").asString();
	}

	private void createCustomer(String name) {
		if (!users.userExists(name)) {
			users.createUser(new User(name, passwords.encode(Tokens.PASSWORD), AuthorityUtils.createAuthorityList("ROLE_CUSTOMER")));
		}
	}

	@Test
	void anAdminRevokesOneTokenAndEveryInstanceRefusesItUntilItWouldHaveExpired() {
		Revocations other = anotherInstance();
		String token = Tokens.fresh(port, "alice");
		String sibling = Tokens.fresh(port, "alice");
		assertThat(status(token)).isEqualTo(200);
		assertThat(other.isRevoked(parsed(token))).isFalse();

		String jti = claims(token).get("jti").asString();
		long asked = System.nanoTime();
		assertThat(revoke("{\"jti\":\"" + jti + "\",\"reason\":\"leaked in a log\"}").status()).isEqualTo(204);

		Http.Response refused = Http.anonymous(port).send("/v1/orders", Map.of("Authorization", "Bearer " + token));
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> other.isRevoked(parsed(token)));
		// A figure for the notes, not an assertion: how long the other instance took to learn it.
		org.slf4j.LoggerFactory.getLogger(RevocationIntegrationTest.class)
			.info("Another instance refused the revoked token {} ms after the revocation was asked for",
					(System.nanoTime() - asked) / 1_000_000);
		assertThat(status(sibling)).as("another token of the same person").isEqualTo(200);

		Instant kept = jdbc.sql("select expires_at from edge.revocations where kind = 'token' and value = :jti")
			.param("jti", jti)
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant();
		assertThat(kept).isAfterOrEqualTo(Instant.ofEpochSecond(claims(token).get("exp").asLong()).plus(properties.clockSkew()));
	}

	@Test
	void revokingASubjectEndsEveryTokenAndLoginTheyHadAndTheyCanSignInAgainAfterwards() {
		createCustomer("carol");
		Revocations other = anotherInstance();
		Tokens.Login laptop = Tokens.login(port, "carol");
		Tokens.Login phone = Tokens.login(port, "carol");
		assertThat(status(laptop.accessToken())).isEqualTo(200);

		assertThat(revoke("{\"subject\":\"carol\"}").status()).isEqualTo(204);
		Instant revokedAt = Instant.now();

		assertThat(status(laptop.accessToken())).isEqualTo(401);
		assertThat(status(phone.accessToken())).isEqualTo(401);
		assertThat(Tokens.refresh(port, laptop.refreshToken()).statusCode()).isEqualTo(400);
		assertThat(Tokens.refresh(port, phone.refreshToken()).statusCode()).isEqualTo(400);
		await().atMost(Duration.ofSeconds(10)).until(() -> other.isRevoked(parsed(phone.accessToken())));
		assertThat(status(Tokens.fresh(port, "alice"))).as("somebody else").isEqualTo(200);

		// Tokens carry their issue time in whole seconds: one from the next second on is new.
		await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > revokedAt.getEpochSecond());
		Tokens.Login again = Tokens.login(port, "carol");
		assertThat(status(again.accessToken())).isEqualTo(200);
		assertThat(other.isRevoked(parsed(again.accessToken()))).isFalse();
	}

	@Test
	void logoutEndsTheLoginItsAccessTokensAndItsRefreshTokenEverywhere() {
		Revocations other = anotherInstance();
		Tokens.Login login = Tokens.login(port, "bob");
		HttpResponse<String> refreshed = Tokens.refresh(port, login.refreshToken());
		String second = accessTokenOf(refreshed);
		Tokens.Login elsewhere = Tokens.login(port, "bob");

		Http.Response out = Http.anonymous(port)
			.post("/v1/me/logout", "", Map.of("Authorization", "Bearer " + second));

		assertThat(out.status()).isEqualTo(204);
		assertThat(status(second)).isEqualTo(401);
		assertThat(status(login.accessToken())).as("an earlier token of the same login").isEqualTo(401);
		assertThat(Tokens.refresh(port, refreshTokenOf(refreshed)).statusCode()).isEqualTo(400);
		await().atMost(Duration.ofSeconds(10)).until(() -> other.isRevoked(parsed(login.accessToken())));
		assertThat(status(elsewhere.accessToken())).as("bob's other login").isEqualTo(200);
	}

	@Test
	void aClientRevokingItsRefreshTokenEndsItsAccessTokensToo() {
		Tokens.Login login = Tokens.login(port, "bob");
		assertThat(status(login.accessToken())).isEqualTo(200);

		assertThat(Tokens.revoke(port, login.refreshToken(), "refresh_token").statusCode()).isEqualTo(200);

		assertThat(status(login.accessToken())).isEqualTo(401);
		assertThat(Tokens.refresh(port, login.refreshToken()).statusCode()).isEqualTo(400);
	}

	@Test
	void reusingASpentRefreshTokenEndsTheWholeLogin() {
		Revocations other = anotherInstance();
		Tokens.Login login = Tokens.login(port, "alice");
		HttpResponse<String> first = Tokens.refresh(port, login.refreshToken());
		String current = accessTokenOf(first);
		assertThat(status(current)).isEqualTo(200);

		HttpResponse<String> replayed = Tokens.refresh(port, login.refreshToken());

		assertThat(replayed.statusCode()).isEqualTo(400);
		assertThat(replayed.body()).contains("invalid_grant");
		assertThat(status(current)).as("the login's newest access token").isEqualTo(401);
		assertThat(status(login.accessToken())).isEqualTo(401);
		assertThat(Tokens.refresh(port, refreshTokenOf(first)).statusCode()).as("its newest refresh token")
			.isEqualTo(400);
		await().atMost(Duration.ofSeconds(10)).until(() -> other.isRevoked(parsed(current)));
		assertThat(status(Tokens.login(port, "alice").accessToken())).as("a new login").isEqualTo(200);
	}

	@Test
	void aRevocationNamesExactlyOneThingAndOnlyAnAdminMayAskForIt() {
		assertThat(revoke("{}").status()).isEqualTo(400);
		assertThat(revoke("{\"jti\":\"a\",\"subject\":\"alice\"}").status()).isEqualTo(400);
		assertThat(revoke("{\"jti\":\"\"}").status()).isEqualTo(400);
		Http.Response byOperator = Http.as(port, "operator")
			.post("/v1/admin/revocations", "{\"subject\":\"alice\"}", Map.of("Content-Type", "application/json"));
		assertThat(byOperator.status()).isEqualTo(403);
		assertThat(jdbc.sql("select count(*) from edge.revocations where value = 'alice' or value = 'a'")
			.query(Long.class)
			.single()).isZero();
		assertThat(List.of(revoke("{}").json().get("errors").toString())).anyMatch(e -> e.contains("jti"));
	}
}
