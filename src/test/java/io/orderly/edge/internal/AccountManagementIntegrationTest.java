package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * People and machine clients managed by an admin: who they are is what their tokens say, and
 * any change to it ends the tokens they hold.
 */
@IntegrationTest
class AccountManagementIntegrationTest {

	private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

	private static final String PASSWORD = "a long enough password";

	@LocalServerPort
	int port;

	private Http admin() {
		return new Http(port);
	}

	private static String unique(String prefix) {
		return prefix + UUID.randomUUID().toString().substring(0, 8);
	}

	private int status(String token, String path) {
		return Http.anonymous(port).send(path, Map.of("Authorization", "Bearer " + token)).status();
	}

	private String person(String role) {
		String name = unique("p");
		Http.Response created = admin().post("/v1/admin/users",
				"{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"" + role + "\"]}", JSON);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return name;
	}

	/** Tokens carry their issue time in whole seconds: wait for the next one after a revocation. */
	private static void nextSecond() {
		long now = Instant.now().getEpochSecond();
		await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > now);
	}

	@Test
	void anAdminAddsAPersonWhoSignsInWithTheirRoleAndNoMore() {
		String name = person("operator");

		String token = Tokens.login(port, name, PASSWORD).accessToken();

		assertThat(status(token, "/v1/admin/sagas")).isEqualTo(200);
		assertThat(status(token, "/v1/admin/users")).as("an operator is not an admin").isEqualTo(403);
		JsonNode listed = admin().get("/v1/admin/users/" + name).json();
		assertThat(listed.get("roles").toString()).isEqualTo("[\"operator\"]");
		assertThat(listed.get("enabled").asBoolean()).isTrue();
		assertThat(admin().get("/v1/admin/users").body()).contains(name).doesNotContain("{bcrypt}").doesNotContain(PASSWORD);
	}

	@Test
	void changingWhatSomebodyMayDoEndsTheTokensAndLoginsTheyHold() {
		String name = person("customer");
		Tokens.Login before = Tokens.login(port, name, PASSWORD);
		assertThat(status(before.accessToken(), "/v1/orders")).isEqualTo(200);

		Http.Response changed = admin().put("/v1/admin/users/" + name, "{\"roles\":[\"support\"]}", JSON);

		assertThat(changed.status()).as(changed.body()).isEqualTo(200);
		assertThat(status(before.accessToken(), "/v1/orders")).as("a token of the old roles").isEqualTo(401);
		assertThat(Tokens.refresh(port, before.refreshToken()).statusCode()).isEqualTo(400);
		nextSecond();
		String after = Tokens.login(port, name, PASSWORD).accessToken();
		assertThat(status(after, "/v1/admin/sagas")).as("support reads operations").isEqualTo(200);

		assertThat(admin().put("/v1/admin/users/" + name, "{\"enabled\":false}", JSON).status()).isEqualTo(200);
		assertThat(status(after, "/v1/admin/sagas")).isEqualTo(401);
		assertThatThrownBy(() -> Tokens.login(port, name, PASSWORD)).hasMessageContaining("refused");
	}

	@Test
	void theLastAdminCannotBeDemotedDisabledOrRemoved() {
		assertThat(admin().put("/v1/admin/users/admin", "{\"roles\":[\"operator\"]}", JSON).status()).isEqualTo(409);
		assertThat(admin().put("/v1/admin/users/admin", "{\"enabled\":false}", JSON).status()).isEqualTo(409);
		assertThat(admin().delete("/v1/admin/users/admin").status()).isEqualTo(409);
		assertThat(admin().get("/v1/admin/users/admin").json().get("roles").toString()).isEqualTo("[\"admin\"]");
		assertThat(admin().get("/v1/admin/users").status()).as("still an admin").isEqualTo(200);
	}

	@Test
	void aMachineClientGetsASecretOnceAndLosesItsTokensWithANewOne() {
		String clientId = unique("c");
		Http.Response created = admin().post("/v1/admin/clients",
				"{\"clientId\":\"" + clientId + "\",\"name\":\"Billing\",\"roles\":[\"service\"]}", JSON);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		String secret = created.json().get("secret").asString();
		String token = JsonMapper.builder().build().readTree(Tokens.clientCredentials(port, clientId, secret).body())
			.get("access_token").asString();
		assertThat(status(token, "/v1/orders?customerId=nobody")).isEqualTo(200);
		assertThat(admin().get("/v1/admin/clients").body()).contains(clientId).doesNotContain(secret);

		Http.Response rotated = admin().post("/v1/admin/clients/" + clientId + "/secret", "", JSON);

		assertThat(rotated.status()).isEqualTo(200);
		String newSecret = rotated.json().get("secret").asString();
		assertThat(newSecret).isNotEqualTo(secret);
		assertThat(Tokens.clientCredentials(port, clientId, secret).statusCode()).isEqualTo(401);
		assertThat(status(token, "/v1/orders?customerId=nobody")).isEqualTo(401);
		nextSecond();
		assertThat(Tokens.clientCredentials(port, clientId, newSecret).statusCode()).isEqualTo(200);

		assertThat(admin().delete("/v1/admin/clients/" + clientId).status()).isEqualTo(204);
		assertThat(Tokens.clientCredentials(port, clientId, newSecret).statusCode()).isEqualTo(401);
	}

	@Test
	void namesAreOnePersonOrOneClientAndBadRequestsChangeNothing() {
		assertThat(admin().post("/v1/admin/clients", "{\"clientId\":\"alice\",\"roles\":[\"service\"]}", JSON).status())
			.isEqualTo(409);
		assertThat(admin().post("/v1/admin/users",
				"{\"username\":\"shop\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"customer\"]}", JSON).status())
			.isEqualTo(409);
		assertThat(admin().post("/v1/admin/users",
				"{\"username\":\"Bad Name!\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"customer\"]}", JSON).status())
			.isEqualTo(400);
		assertThat(admin().post("/v1/admin/users",
				"{\"username\":\"ok-name\",\"password\":\"short\",\"roles\":[\"customer\"]}", JSON).status())
			.isEqualTo(400);
		assertThat(admin().post("/v1/admin/users",
				"{\"username\":\"ok-name\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"service\"]}", JSON).status())
			.as("a person is not a service").isEqualTo(400);
		assertThat(admin().get("/v1/admin/users/ok-name").status()).isEqualTo(404);
		assertThat(admin().delete("/v1/admin/clients/orderly-web").status()).as("the login client").isEqualTo(409);
		assertThat(admin().delete("/v1/admin/users/nobody-here").status()).isEqualTo(404);
		// Found by bin/fuzz: a blank client id reached the issuer's store, which threw (500).
		assertThat(admin().post("/v1/admin/clients/%20/secret", "", JSON).status()).isEqualTo(404);
		assertThat(admin().delete("/v1/admin/clients/%20").status()).isEqualTo(404);
	}
}
