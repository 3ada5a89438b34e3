package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The edge's rate limits over HTTP (tiers, tenants, the checkout, anonymous and failed
 * authentication per client address behind a trusted proxy; 429 with Retry-After and the
 * RateLimit headers), and the shared PostgreSQL store: three instances on one database admit no
 * more than the limit.
 */
@IntegrationTest
@TestPropertySource(properties = { "orderly.rate-limits.tiers.free.capacity=5", "orderly.rate-limits.tiers.free.period=1h",
		"orderly.rate-limits.tenant.capacity=4", "orderly.rate-limits.tenant.period=1h",
		"orderly.rate-limits.checkout.capacity=3", "orderly.rate-limits.checkout.period=1h",
		"orderly.rate-limits.anonymous.capacity=20", "orderly.rate-limits.anonymous.period=1h",
		"orderly.rate-limits.failed-auth.capacity=3", "orderly.rate-limits.failed-auth.period=1h",
		"orderly.rate-limits.trusted-proxies=127.0.0.1,::1", "orderly.rate-limits.store=postgresql", "orderly.http.cors.allowed-origins=https://shop.example" })
class RateLimitIntegrationTest {

	private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	Clock clock;

	@Autowired
	MeterRegistry meters;

	private String key(String tier, String tenant) {
		String body = "{\"name\":\"limited\",\"scope\":\"read-write\",\"tier\":\"" + tier + "\","
				+ (tenant == null ? "" : "\"tenant\":\"" + tenant + "\",") + "\"expiresAt\":\""
				+ Instant.now().plus(Duration.ofDays(1)) + "\"}";
		Http.Response created = new Http(port).post("/v1/admin/api-keys", body, JSON);
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return created.json().get("secret").asString();
	}

	private Http.Response get(String path, Map<String, String> headers) {
		return Http.anonymous(port).send(path, headers);
	}

	private static Map<String, String> bearer(String token) {
		return Map.of("Authorization", "Bearer " + token);
	}

	@Test
	void aCallerGetsItsTiersQuotaThenA429WithRetryAfterWhileOthersKeepWorking() {
		String free = key("free", null);
		double refusedBefore = meters.counter("orderly.ratelimit.rejections", "limit", "free", "tier", "free").count();

		List<Http.Response> admitted = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			admitted.add(get("/v1/orders?customerId=nobody", bearer(free)));
		}
		Http.Response refused = get("/v1/orders?customerId=nobody", bearer(free));

		assertThat(admitted).allSatisfy(response -> assertThat(response.status()).isEqualTo(200));
		assertThat(admitted.get(0).header("RateLimit-Policy")).isEqualTo("\"free\";q=5;w=3600");
		assertThat(admitted.get(0).header("RateLimit")).startsWith("\"free\";r=4;t=");
		assertThat(admitted.get(4).header("RateLimit")).startsWith("\"free\";r=0;t=");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
		assertThat(refused.header("RateLimit")).startsWith("\"free\";r=0;t=");
		assertThat(refused.json().get("limit").asString()).isEqualTo("free");
		Http.Response refusedCrossOrigin = get("/v1/orders?customerId=nobody",
				Map.of("Authorization", "Bearer " + free, "Origin", "https://shop.example"));
		assertThat(refusedCrossOrigin.status()).isEqualTo(429);
		assertThat(refusedCrossOrigin.header("Access-Control-Allow-Origin")).as("a browser app may read the 429")
			.isEqualTo("https://shop.example");
		assertThat(meters.counter("orderly.ratelimit.rejections", "limit", "free", "tier", "free").count())
			.isEqualTo(refusedBefore + 2);
		assertThat(new Http(port).get("/v1/orders?customerId=nobody").status()).as("another caller").isEqualTo(200);
	}

	@Test
	void theCallersOfOneTenantShareItsBucket() {
		String first = key("premium", "acme");
		String second = key("premium", "acme");
		String elsewhere = key("premium", "globex");

		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			statuses.add(get("/v1/orders?customerId=nobody", bearer(first)).status());
			statuses.add(get("/v1/orders?customerId=nobody", bearer(second)).status());
		}

		assertThat(statuses).containsExactly(200, 200, 200, 200, 429, 429);
		Http.Response refused = get("/v1/orders?customerId=nobody", bearer(second));
		assertThat(refused.json().get("limit").asString()).isEqualTo("tenant");
		assertThat(get("/v1/orders?customerId=nobody", bearer(elsewhere)).status()).isEqualTo(200);
	}

	@Test
	void theCheckoutHasOneBucketForAllCallers() {
		String body = "{\"customerId\":\"c1\",\"items\":[]}";
		List<Integer> statuses = new ArrayList<>();
		for (String account : List.of("admin", "operator", "shop", "admin")) {
			Http.Response response = Http.as(port, account)
				.post("/v1/orders", body, Map.of("Content-Type", "application/json", "Idempotency-Key", UUID.randomUUID().toString()));
			statuses.add(response.status());
			if (response.status() == 429) {
				assertThat(response.json().get("limit").asString()).isEqualTo("checkout");
			}
		}

		assertThat(statuses.subList(0, 3)).allSatisfy(status -> assertThat(status).isNotEqualTo(429));
		assertThat(statuses.get(3)).isEqualTo(429);
		assertThat(new Http(port).get("/v1/orders?customerId=c1").status()).as("reads are not checkouts").isEqualTo(200);
	}

	@Test
	void anonymousRequestsAreLimitedPerClientAddressAndProbesNever() {
		Map<String, String> from = Map.of("X-Forwarded-For", "203.0.113.7");
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 21; i++) {
			statuses.add(get("/s/NoSuchCode", from).status());
		}

		assertThat(statuses.subList(0, 20)).allSatisfy(status -> assertThat(status).isEqualTo(404));
		assertThat(statuses.get(20)).isEqualTo(429);
		assertThat(get("/s/NoSuchCode", Map.of("X-Forwarded-For", "203.0.113.8")).status()).as("another address")
			.isEqualTo(404);
		assertThat(get("/s/NoSuchCode", Map.of("X-Forwarded-For", "198.51.100.1, 203.0.113.7")).status())
			.as("the address our proxy saw, not the one the client wrote")
			.isEqualTo(429);
		for (int i = 0; i < 25; i++) {
			assertThat(get("/actuator/health/readiness", from).status()).isEqualTo(200);
		}
	}

	@Test
	void anAddressWhoseCredentialsFailTooOftenIsStoppedWhileOthersKeepWorking() {
		Map<String, String> attacker = Map.of("X-Forwarded-For", "203.0.113.66", "Authorization", "Bearer not-a-token");
		for (int i = 0; i < 3; i++) {
			assertThat(get("/v1/orders", attacker).status()).isEqualTo(401);
		}
		assertThat(get("/v1/orders", attacker).status()).isEqualTo(401); // the bucket runs dry with this one

		String valid = Tokens.of(port, "admin");
		Http.Response stopped = get("/v1/orders?customerId=nobody",
				Map.of("X-Forwarded-For", "203.0.113.66", "Authorization", "Bearer " + valid));
		assertThat(stopped.status()).isEqualTo(429);
		assertThat(stopped.json().get("limit").asString()).isEqualTo("failed-auth");
		assertThat(get("/v1/orders?customerId=nobody", Map.of("X-Forwarded-For", "203.0.113.67", "Authorization",
				"Bearer " + valid)).status()).as("another address").isEqualTo(200);
	}

	@Test
	void threeInstancesOnOneDatabaseAdmitAtMostTheLimit() throws Exception {
		// 200 × 0.003 is below one token: every request asks the store, the limit is exact.
		assertThat(admittedByThreeInstances(200, 24 * 40)).as("960 attempts on three instances against a limit of 200")
			.isBetween(200, 202);
	}

	@Test
	void threeInstancesHandingOutTheirShareAdmitAtMostTheLimitPlusOnePercent() throws Exception {
		// 10,000 × 0.003 = 30 tokens each instance may hand out before settling with the store.
		assertThat(admittedByThreeInstances(10_000, 12_000)).as("12,000 attempts on three instances against 10,000")
			.isBetween(10_000, 10_100);
	}

	private int admittedByThreeInstances(long capacity, int attempts) throws Exception {
		RateLimiter.Limit limit = RateLimiter.Limit.of("shared-" + UUID.randomUUID(),
				new RateLimitProperties.Quota(capacity, Duration.ofHours(1)), RateLimiter.OnStoreFailure.ADMIT);
		RateLimitProperties postgres = new RateLimitProperties(true, "postgresql", null, Duration.ofSeconds(5), Map.of(),
				"standard", "tier", "tenant", null, null, null, null, List.of(), 0.003);
		List<RateLimitConfiguration.BucketStore> stores = new ArrayList<>();
		List<RateLimiter> instances = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			RateLimitConfiguration.BucketStore store = new RateLimitConfiguration().bucketStore(postgres, "postgresql", dataSource, clock);
			stores.add(store);
			instances.add(new RateLimiter(store.store, new SimpleMeterRegistry(), clock));
		}
		AtomicInteger admitted = new AtomicInteger();
		List<Future<?>> work = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(24)) {
			for (int t = 0; t < 24; t++) {
				RateLimiter instance = instances.get(t % 3);
				work.add(threads.submit(() -> {
					for (int i = 0; i < attempts / 24; i++) {
						if (instance.consume(limit, "everyone").admitted()) {
							admitted.incrementAndGet();
						}
					}
				}));
			}
			for (Future<?> each : work) {
				each.get();
			}
		}
		finally {
			for (RateLimitConfiguration.BucketStore store : stores) {
				store.close();
			}
		}
		return admitted.get();
	}
}
