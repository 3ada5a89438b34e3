package io.orderly.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

/** The embedded issuer: discovery, public keys only, the grants, refresh tokens that rotate. */
@IntegrationTest
class IssuerIntegrationTest {

	@LocalServerPort
	int port;

	private static JsonNode claims(String token) {
		String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
		return JsonMapper.builder().build().readTree(payload);
	}

	@Test
	void publishesDiscoveryAndOnlyThePublicHalvesOfItsKeys() {
		Http anonymous = Http.anonymous(port);
		JsonNode discovery = anonymous.get("/.well-known/openid-configuration").json();
		JsonNode keys = anonymous.get("/oauth2/jwks").json().get("keys");

		assertThat(discovery.get("issuer").asString()).isEqualTo("http://orderly.test");
		assertThat(discovery.get("jwks_uri").asString()).endsWith("/oauth2/jwks");
		assertThat(keys.size()).isPositive();
		keys.forEach(key -> {
			assertThat(key.get("kty").asString()).isEqualTo("RSA");
			assertThat(key.has("kid")).isTrue();
			assertThat(key.has("d")).as("private exponent published").isFalse();
			assertThat(key.has("p")).isFalse();
		});
	}

	@Test
	void aMachineClientGetsItsRolesAndOurAudience() {
		JsonNode claims = claims(Tokens.clientCredentials(port, "shop"));

		assertThat(claims.get("sub").asString()).isEqualTo("shop");
		assertThat(claims.get("aud").toString()).contains("orderly");
		assertThat(claims.get("roles").toString()).isEqualTo("[\"service\"]");
		assertThat(claims.has("jti")).isTrue();
	}

	@Test
	void aPersonLogsInWithPkceAndGetsTheirRole() {
		JsonNode claims = claims(Tokens.login(port, "bob").accessToken());

		assertThat(claims.get("sub").asString()).isEqualTo("bob");
		assertThat(claims.get("roles").toString()).isEqualTo("[\"customer\"]");
		assertThatThrownBy(() -> Tokens.login(port, "nobody")).hasMessageContaining("refused");
	}

	@Test
	void aRefreshTokenIsGoodForOneUseOnly() {
		Tokens.Login login = Tokens.login(port, "alice");

		HttpResponse<String> first = Tokens.refresh(port, login.refreshToken());
		assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
		JsonNode rotated = JsonMapper.builder().build().readTree(first.body());
		assertThat(rotated.get("refresh_token").asString()).isNotEqualTo(login.refreshToken());
		String fresh = rotated.get("access_token").asString();
		assertThat(Http.anonymous(port).send("/v1/orders", java.util.Map.of("Authorization", "Bearer " + fresh)).status())
			.isEqualTo(200);

		HttpResponse<String> again = Tokens.refresh(port, login.refreshToken());
		assertThat(again.statusCode()).isEqualTo(400);
		assertThat(again.body()).contains("invalid_grant");
	}
}
