package io.orderly.links;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.links.internal.ClickCounter;
import io.orderly.links.internal.LinkCache;
import io.orderly.links.internal.LinkRetention;
import io.orderly.links.internal.Links;
import io.orderly.links.internal.LinksProperties;
import io.orderly.links.internal.OwnAddress;
import io.orderly.platform.MutableClock;
import io.orderly.platform.messaging.Notifications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The URL shortener over HTTP, with a clock the test moves. */
@IntegrationTest
@Import(LinksIntegrationTest.Config.class)
class LinksIntegrationTest {

	@TestConfiguration(proxyBeanMethods = false)
	static class Config {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock();
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	javax.sql.DataSource dataSource;

	@Autowired
	MeterRegistry meters;

	@Autowired
	LinkManagement links;

	@Autowired
	Links table;

	@Autowired
	LinksProperties properties;

	@Autowired
	OwnAddress own;

	@Autowired
	Notifications notifications;

	@Autowired
	ClickCounter clicks;

	@Autowired
	LinkRetention retention;

	private Http http() {
		return new Http(port);
	}

	private Http.Response create(String json) {
		return LinkRequests.create(http(), json);
	}

	private String code(String url) {
		return LinkRequests.code(http(), url);
	}

	private long rows() {
		return jdbc.sql("select count(*) from links.links").query(Long.class).single();
	}

	@Test
	void createsALinkAndRedirectsToItsNormalisedTarget() {
		Http.Response created = create("{\"url\": \"HTTPS://Example.com:443/a?b=c\"}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		JsonNode link = created.json();
		String code = link.get("code").asString();
		assertThat(code).matches("[0-9A-Za-z]{7,}");
		assertThat(link.get("url").asString()).isEqualTo("https://example.com/a?b=c");
		assertThat(link.get("shortUrl").asString()).isEqualTo(own.base() + "/s/" + code);
		assertThat(link.get("createdAt").isNull()).isFalse();
		assertThat(created.header("Location")).isEqualTo("/v1/links/" + code);

		Http.Response redirect = http().get("/s/" + code);
		assertThat(redirect.status()).isEqualTo(302);
		assertThat(redirect.header("Location")).isEqualTo("https://example.com/a?b=c");
		assertThat(http().get("/v1/links/" + code).json().get("url").asString()).isEqualTo("https://example.com/a?b=c");
	}

	@Test
	void replaysTheSameLinkForTheSameIdempotencyKey() {
		String key = UUID.randomUUID().toString();
		Http.Response first = http().post("/v1/links", "{\"url\": \"https://example.com/once\"}", Map.of("Idempotency-Key", key));
		Http.Response again = http().post("/v1/links", "{\"url\": \"https://example.com/once\"}", Map.of("Idempotency-Key", key));
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(again.json().get("code").asString()).isEqualTo(first.json().get("code").asString());
	}

	@Test
	void customAliasesAreUniqueCaseSensitiveAndCannotShadowOurPaths() {
		String alias = "sale-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(create("{\"url\": \"https://example.com/sale\", \"alias\": \"" + alias + "\"}").status()).isEqualTo(201);
		assertThat(http().get("/s/" + alias).header("Location")).isEqualTo("https://example.com/sale");

		Http.Response taken = create("{\"url\": \"https://example.com/other\", \"alias\": \"" + alias + "\"}");
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.json().get("type").asString()).isEqualTo("/problems/alias-taken");
		assertThat(create("{\"url\": \"https://example.com/upper\", \"alias\": \"" + alias.toUpperCase() + "\"}").status())
			.as("another case is another alias").isEqualTo(201);

		long before = rows();
		for (String bad : List.of("actuator", "V1", "ab", "has space", "slash/es", "dots.dots", "ünïcode", "x".repeat(65))) {
			Http.Response refused = create("{\"url\": \"https://example.com/\", \"alias\": \"" + bad + "\"}");
			assertThat(refused.status()).as(bad + ": " + refused.body()).isIn(400, 422);
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void refusesUnsafeTargetsAndRedirectLoopsWith422AndStoresNothing() {
		long before = rows();
		for (String url : List.of("ftp://example.com/f", "javascript:alert(1)", "https://user:pw@example.com/",
				"not a url", own.base() + "/s/abcdefg", "https://example.com/" + "a".repeat(5000))) {
			Http.Response refused = create("{\"url\": \"" + url + "\"}");
			assertThat(refused.status()).as(url.substring(0, Math.min(80, url.length())) + ": " + refused.body()).isEqualTo(422);
			assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("url");
		}
		Http.Response past = create("{\"url\": \"https://example.com/\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}");
		assertThat(past.status()).isEqualTo(422);
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void shortUrlsUseTheListeningPortAndATargetOnThisServersOwnAddressIsALoop() {
		assertThat(own.base()).as("no base URL configured").isEqualTo("http://localhost:" + port);
		long before = rows();
		for (String url : List.of("http://127.0.0.1:" + port + "/s/abcdefg", "http://localhost:" + port + "/v1/links",
				"http://127.0.0.2:" + port + "/", "http://0.0.0.0:" + port + "/s/x")) {
			Http.Response refused = create("{\"url\": \"" + url + "\"}");
			assertThat(refused.status()).as(url + ": " + refused.body()).isEqualTo(422);
			assertThat(refused.body()).as(url).contains("points back at this shortener");
		}
		assertThat(rows()).isEqualTo(before);
		assertThat(create("{\"url\": \"http://127.0.0.1:" + (port == 1 ? 2 : 1) + "/elsewhere\"}").status())
			.as("another port of this machine is another service").isEqualTo(201);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/s/NoSuchCode1", "/s/" + "a", "/s/%00", "/s/%E2%82%AC%E2%82%AC", "/s/..%2F..%2Fetc",
			"/s/a.b", "/s/a%20b", "/s/%25ZZ", "/s/abc;x=1", "/v1/links/%C0%AF", "/v1/links/nope/stats" })
	void answersMalformedOrUnknownCodesWithoutA5xx(String path) {
		Http.Response response = http().send(path, Map.of());
		assertThat(response.status()).as(path + " " + response.body()).isBetween(400, 499);
	}

	@Test
	void answersMalformedBodiesWithoutA5xx() {
		for (String body : List.of("", "{", "[]", "{\"url\": 5}", "{\"url\": null}", "{\"url\": \"https://e.com\", \"expiresAt\": \"soon\"}",
				"{\"url\": \"https://e.com\", \"alias\": []}")) {
			Http.Response response = create(body);
			assertThat(response.status()).as(body + " " + response.body()).isBetween(400, 499);
		}
	}

	@Test
	void anExpiredLinkAnswers410AtOnceEvenFromTheCache() {
		Instant expires = clock.instant().plus(Duration.ofHours(1));
		String code = create("{\"url\": \"https://example.com/soon\", \"expiresAt\": \"" + expires + "\"}").json().get("code").asString();
		assertThat(http().get("/s/" + code).status()).isEqualTo(302);
		clock.advance(Duration.ofHours(2));
		Http.Response gone = http().get("/s/" + code);
		assertThat(gone.status()).isEqualTo(410);
		assertThat(gone.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void aDeletedLinkAnswers410OnEveryInstance() {
		String code = code("https://example.com/to-delete");
		// Another instance: a cache of its own on the same database, listening for evictions.
		LinkCache otherInstance = new LinkCache(table, clock, properties, new SimpleMeterRegistry(), notifications);
		assertThat(otherInstance.resolve(code).goneAt(clock.instant())).isFalse();
		assertThat(http().get("/s/" + code).status()).isEqualTo(302);

		assertThat(http().delete("/v1/links/" + code).status()).isEqualTo(204);

		assertThat(http().get("/s/" + code).status()).isEqualTo(410);
		await().atMost(Duration.ofSeconds(10)).until(() -> otherInstance.resolve(code).goneAt(clock.instant()));
		assertThat(http().get("/v1/links/" + code).json().get("url").isNull()).isTrue();
		assertThat(http().delete("/v1/links/NoSuchCode9").status()).isEqualTo(404);
	}

	@Test
	void aThousandConcurrentRequestsForAnExpiredHotEntryReadTheDatabaseOnce() throws Exception {
		String code = code("https://example.com/hot");
		assertThat(http().get("/s/" + code).status()).isEqualTo(302);
		clock.advance(properties.cacheTtl().plusMinutes(1));
		double loadsBefore = meters.counter("orderly.links.loads").count();

		int requests = 1_000;
		AtomicInteger entered = new AtomicInteger();
		List<Future<String>> answers = new ArrayList<>();
		ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
		// Hold every read of the table until all requests are in, so that they overlap for sure.
		try (Connection blocker = dataSource.getConnection()) {
			blocker.setAutoCommit(false);
			blocker.createStatement().execute("lock table links.links in access exclusive mode");
			for (int i = 0; i < requests; i++) {
				answers.add(threads.submit(() -> {
					entered.incrementAndGet();
					return links.resolve(code).url();
				}));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> entered.get() == requests && jdbc
				.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")
				.query(Long.class).single() >= 1);
			blocker.rollback();
		}
		try {
			for (Future<String> answer : answers) {
				assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("https://example.com/hot");
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(meters.counter("orderly.links.loads").count() - loadsBefore).isBetween(1.0, 2.0);
	}

	@Test
	void unknownCodesAreRememberedBrieflyAndForgottenWhenTheCodeIsCreated() {
		String alias = "later-" + UUID.randomUUID().toString().substring(0, 8);
		double loadsBefore = meters.counter("orderly.links.loads").count();
		for (int i = 0; i < 20; i++) {
			assertThat(http().get("/s/" + alias).status()).isEqualTo(404);
		}
		assertThat(meters.counter("orderly.links.loads").count() - loadsBefore).isEqualTo(1.0);
		assertThat(create("{\"url\": \"https://example.com/later\", \"alias\": \"" + alias + "\"}").status()).isEqualTo(201);
		assertThat(http().get("/s/" + alias).status()).isEqualTo(302);
	}

	@Test
	void countsClicksAndReportsThemAfterAFlush() {
		String code = code("https://example.com/clicked");
		for (int i = 0; i < 7; i++) {
			assertThat(http().get("/s/" + code).status()).isEqualTo(302);
		}
		clicks.flush();
		JsonNode stats = http().get("/v1/links/" + code + "/stats").json();
		assertThat(stats.get("clicks").asLong()).isEqualTo(7);
		assertThat(stats.get("lastClickAt").isNull()).isFalse();
		assertThat(jdbc.sql("select clicks from links.clicks where code = :c").param("c", code).query(Long.class).single())
			.isEqualTo(7);
		String unclicked = code("https://example.com/unclicked");
		assertThat(http().get("/v1/links/" + unclicked + "/stats").json().get("clicks").asLong()).isZero();
	}

	@Test
	void purgesExpiredLinksButKeepsTheirCodesTakenForever() {
		String alias = "old-" + UUID.randomUUID().toString().substring(0, 8);
		Instant expires = clock.instant().plus(Duration.ofMinutes(5));
		assertThat(create("{\"url\": \"https://example.com/old\", \"alias\": \"" + alias + "\", \"expiresAt\": \"" + expires + "\"}")
			.status()).isEqualTo(201);
		clock.advance(properties.retention().plusDays(1));

		assertThat(retention.purge()).isPositive();

		assertThat(jdbc.sql("select url is null and purged_at is not null from links.links where code = :c").param("c", alias)
			.query(Boolean.class).single()).isTrue();
		assertThat(http().get("/s/" + alias).status()).isEqualTo(410);
		assertThat(create("{\"url\": \"https://example.com/new\", \"alias\": \"" + alias + "\"}").status())
			.as("a purged code is never given out again").isEqualTo(409);
	}
}
