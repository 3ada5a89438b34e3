package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.platform.messaging.Notifications;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API keys: made by an admin, the secret shown once and stored only hashed; a read key reads and
 * may not write; rotation keeps the old secret for the overlap only; a revoked or expired key is
 * refused here at once and on another instance (a key cache of its own on the same database,
 * told by the NOTIFY signal alone).
 */
@IntegrationTest
class ApiKeyIntegrationTest {

	private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Notifications notifications;

	@Autowired
	Clock clock;

	private Http admin() {
		return new Http(port);
	}

	private JsonNode create(String scope, String tier, Instant expiresAt) {
		Http.Response created = admin().post("/v1/admin/api-keys", "{\"name\":\"shop backend\",\"scope\":\"" + scope
				+ "\",\"tier\":\"" + tier + "\",\"expiresAt\":\"" + expiresAt + "\"}", JSON);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.header("Location")).endsWith(created.json().get("id").asString());
		return created.json();
	}

	private Http.Response call(String secret, String method, String path, String body) {
		Map<String, String> headers = Map.of("Authorization", "Bearer " + secret, "Content-Type", "application/json",
				"Idempotency-Key", java.util.UUID.randomUUID().toString());
		return switch (method) {
			case "GET" -> Http.anonymous(port).send(path, headers);
			case "POST" -> Http.anonymous(port).post(path, body, headers);
			default -> throw new IllegalArgumentException(method);
		};
	}

	private static final String LINK = "{\"url\":\"https://example.com/from-a-key\"}";

	@Test
	void anAdminMakesAKeyWhoseSecretIsShownOnceAndStoredOnlyHashed() {
		JsonNode key = create("read-write", "standard", Instant.now().plus(Duration.ofDays(30)));
		String secret = key.get("secret").asString();

		assertThat(secret).startsWith("ok_").hasSizeGreaterThan(40);
		assertThat(key.get("status").asString()).isEqualTo("active");
		assertThat(call(secret, "GET", "/v1/products/MUG", null).status()).isIn(200, 404);
		Http.Response link = call(secret, "POST", "/v1/links", LINK);
		assertThat(link.status()).as(link.body()).isEqualTo(201);
		assertThat(jdbc.sql("select owner from links.links where code = :code")
			.param("code", link.json().get("code").asString())
			.query(String.class)
			.single()).as("the key is the link's owner").isEqualTo(key.get("id").asString());

		String listed = admin().get("/v1/admin/api-keys").body();
		String one = admin().get("/v1/admin/api-keys/" + key.get("id").asString()).body();
		assertThat(listed).contains(key.get("id").asString()).doesNotContain(secret).doesNotContain("\"secret\"");
		assertThat(one).doesNotContain(secret).contains(secret.substring(0, 7));
		String stored = jdbc.sql("select row_to_json(k)::text from edge.api_keys k where id = :id")
			.param("id", key.get("id").asString())
			.query(String.class)
			.single();
		assertThat(stored).doesNotContain(secret.substring(7));
	}

	@Test
	void aReadKeyReadsAndMayNotWrite() {
		JsonNode key = create("read", "free", Instant.now().plus(Duration.ofDays(1)));
		String secret = key.get("secret").asString();

		assertThat(call(secret, "GET", "/v1/orders?customerId=nobody", null).status()).isEqualTo(200);
		Http.Response write = call(secret, "POST", "/v1/links", LINK);
		assertThat(write.status()).isEqualTo(403);
		assertThat(write.header("Content-Type")).startsWith("application/problem+json");
		assertThat(jdbc.sql("select count(*) from links.links where owner = :id")
			.param("id", key.get("id").asString())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aKeyIsOnlyAServiceAndNeverAnAdmin() {
		String secret = create("read-write", "premium", Instant.now().plus(Duration.ofDays(1))).get("secret").asString();

		assertThat(call(secret, "GET", "/v1/admin/api-keys", null).status()).isEqualTo(403);
		assertThat(call(secret, "POST", "/v1/admin/revocations", "{\"subject\":\"alice\"}").status()).isEqualTo(403);
	}

	@Test
	void aRotationKeepsThePreviousSecretForTheOverlapOnly() {
		JsonNode key = create("read-write", "standard", Instant.now().plus(Duration.ofDays(1)));
		String id = key.get("id").asString();
		String old = key.get("secret").asString();

		Http.Response rotated = admin().post("/v1/admin/api-keys/" + id + "/rotate", "{\"overlap\":\"PT1H\"}", JSON);
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
		String current = rotated.json().get("secret").asString();
		assertThat(current).isNotEqualTo(old).startsWith("ok_");
		assertThat(call(old, "GET", "/v1/orders?customerId=nobody", null).status()).as("within the overlap").isEqualTo(200);
		assertThat(call(current, "GET", "/v1/orders?customerId=nobody", null).status()).isEqualTo(200);

		Http.Response again = admin().post("/v1/admin/api-keys/" + id + "/rotate", "{\"overlap\":\"PT0S\"}", JSON);
		String newest = again.json().get("secret").asString();
		assertThat(call(old, "GET", "/v1/orders?customerId=nobody", null).status()).as("two rotations ago").isEqualTo(401);
		assertThat(call(current, "GET", "/v1/orders?customerId=nobody", null).status()).as("no overlap asked")
			.isEqualTo(401);
		assertThat(call(newest, "GET", "/v1/orders?customerId=nobody", null).status()).isEqualTo(200);
	}

	@Test
	void aRevokedKeyIsRefusedHereAndOnEveryOtherInstance() {
		ApiKeys otherInstance = new ApiKeys(jdbc, notifications, clock, Duration.ofHours(1));
		JsonNode key = create("read-write", "standard", Instant.now().plus(Duration.ofDays(1)));
		String secret = key.get("secret").asString();
		assertThat(otherInstance.authenticate(secret)).isPresent();
		assertThat(call(secret, "GET", "/v1/orders?customerId=nobody", null).status()).isEqualTo(200);

		assertThat(admin().delete("/v1/admin/api-keys/" + key.get("id").asString()).status()).isEqualTo(204);

		Http.Response refused = call(secret, "GET", "/v1/orders?customerId=nobody", null);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
		await().atMost(Duration.ofSeconds(10)).until(() -> otherInstance.authenticate(secret).isEmpty());
		assertThat(admin().get("/v1/admin/api-keys/" + key.get("id").asString()).json().get("status").asString())
			.isEqualTo("revoked");
		assertThat(admin().post("/v1/admin/api-keys/" + key.get("id").asString() + "/rotate", "{}", JSON).status())
			.as("a revoked key is not brought back").isEqualTo(404);
	}

	@Test
	void anExpiredKeyIsRefusedEvenFromTheCache() {
		JsonNode key = create("read-write", "standard", Instant.now().plus(Duration.ofDays(1)));
		String secret = key.get("secret").asString();
		assertThat(call(secret, "GET", "/v1/orders?customerId=nobody", null).status()).isEqualTo(200);
		ApiKeys.ApiKey cached = new ApiKeys(jdbc, notifications, Clock.offset(clock, Duration.ofDays(1)), Duration.ofHours(1))
			.authenticate(secret)
			.orElse(null);

		assertThat(cached).as("a day later").isNull();
	}

	@Test
	void badRequestsAreRefusedWithTheFieldNamedAndNothingMade() {
		long before = jdbc.sql("select count(*) from edge.api_keys").query(Long.class).single();
		String tomorrow = Instant.now().plus(Duration.ofDays(1)).toString();

		Http.Response badScope = admin().post("/v1/admin/api-keys",
				"{\"name\":\"x\",\"scope\":\"admin\",\"tier\":\"free\",\"expiresAt\":\"" + tomorrow + "\"}", JSON);
		Http.Response past = admin().post("/v1/admin/api-keys",
				"{\"name\":\"x\",\"scope\":\"read\",\"tier\":\"gold\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}", JSON);
		Http.Response forever = admin().post("/v1/admin/api-keys",
				"{\"name\":\"x\",\"scope\":\"read\",\"tier\":\"free\",\"expiresAt\":\"2999-01-01T00:00:00Z\"}", JSON);

		assertThat(badScope.status()).isEqualTo(400);
		assertThat(badScope.body()).contains("scope");
		assertThat(past.status()).isEqualTo(400);
		assertThat(past.body()).contains("tier").contains("expiresAt");
		assertThat(forever.status()).isEqualTo(400);
		assertThat(admin().delete("/v1/admin/api-keys/key_nonexistent").status()).isEqualTo(404);
		assertThat(call("ok_not-a-key", "GET", "/v1/orders?customerId=nobody", null).status()).isEqualTo(401);
		assertThat(jdbc.sql("select count(*) from edge.api_keys").query(Long.class).single()).isEqualTo(before);
	}
}
