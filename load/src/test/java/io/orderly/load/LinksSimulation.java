package io.orderly.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.reachRps;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Load on the URL shortener, one phase per run ({@code -Dorderly.phase}):
 * <ul>
 * <li>{@code create}: makes {@code orderly.links} links and writes their codes to {@code orderly.codes};
 * <li>{@code hello}: the platform's trivial endpoint, the ceiling of the server stack;
 * <li>{@code hit}: redirects of a hot set of {@code orderly.hot} codes (cache hits);
 * <li>{@code miss}: redirects walking all codes in order, with the platform's cache made smaller
 * than the set (each request a cache miss and a database read);
 * <li>{@code hit-rate}: cache hits throttled to {@code orderly.rate} per second (the same users, a
 * steady rate), for latency below saturation; {@code hello-rate} the same for the trivial endpoint.
 * </ul>
 * Closed phases run {@code orderly.concurrency} users for {@code orderly.duration} seconds.
 * Only {@code create} calls a protected endpoint, with {@code orderly.token} (shop's access
 * token); the redirects and {@code /hello} are open and sent without one, as visitors do.
 */
public class LinksSimulation extends Simulation {

	private final String phase = Settings.string("phase", "hit");

	private final int concurrency = Settings.integer("concurrency", 32);

	private final Duration duration = Duration.ofSeconds(Settings.integer("duration", 30));

	private final Path codesFile = Path.of(Settings.string("codes", "target/link-codes.txt"));

	private final HttpProtocolBuilder protocol = http.baseUrl(Settings.BASE_URL).disableFollowRedirect().shareConnections();

	private final ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();

	{
		PopulationBuilder population = switch (phase) {
			case "create" -> {
				int links = Settings.integer("links", 20_000);
				int users = Math.min(concurrency, links);
				yield scenario("create links").repeat(links / users).on(
						exec(session -> session.set("key", UUID.randomUUID().toString())),
						exec(http("create link").post("/v1/links")
							.header("Authorization", Settings.bearer(Settings.TOKEN))
							.header("Content-Type", "application/json")
							.header("Idempotency-Key", "#{key}")
							.body(StringBody(session -> "{\"url\": \"https://example.com/load/" + UUID.randomUUID() + "\"}"))
							.check(status().is(201), jsonPath("$.code").saveAs("code"))),
						exec(session -> {
							created.add(session.getString("code"));
							return session;
						}))
					.injectOpen(atOnceUsers(users));
			}
			case "hello" -> scenario("hello").during(duration).on(exec(http("hello").get("/hello").check(status().is(200))))
				.injectOpen(atOnceUsers(concurrency));
			case "miss" -> scenario("redirect miss").during(duration).on(redirect("redirect miss", walking(codes())))
				.injectOpen(atOnceUsers(concurrency));
			case "hello-rate" -> scenario("hello at a fixed rate").during(duration.plusSeconds(2)).on(exec(http("hello").get("/hello").check(status().is(200))))
				.injectOpen(atOnceUsers(concurrency))
				.throttle(reachRps(Settings.integer("rate", 1000)).in(Duration.ofSeconds(1)), holdFor(duration));
			case "hit-rate" -> scenario("redirect hit at a fixed rate").during(duration.plusSeconds(2)).on(redirect("redirect hit", hot()))
				.injectOpen(atOnceUsers(concurrency))
				.throttle(reachRps(Settings.integer("rate", 1000)).in(Duration.ofSeconds(1)), holdFor(duration));
			default -> scenario("redirect hit").during(duration).on(redirect("redirect hit", hot()))
				.injectOpen(atOnceUsers(concurrency));
		};
		setUp(population).protocols(protocol);
	}

	@Override
	public void after() {
		if ("create".equals(phase)) {
			try {
				Files.createDirectories(codesFile.toAbsolutePath().getParent());
				Files.write(codesFile, created);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}
	}

	private ChainBuilder redirect(String name, Iterator<Map<String, Object>> feeder) {
		return exec(session -> session).feed(feeder)
			.exec(http(name).get("/s/#{code}").check(status().is(302), header("Location").exists()));
	}

	private List<String> codes() {
		try {
			return Files.readAllLines(codesFile).stream().filter(line -> !line.isBlank()).toList();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private Iterator<Map<String, Object>> hot() {
		List<String> all = new ArrayList<>(codes());
		Collections.shuffle(all);
		List<String> hot = List.copyOf(all.subList(0, Math.min(Settings.integer("hot", 100), all.size())));
		return java.util.stream.Stream.generate(
				() -> Map.<String, Object>of("code", hot.get(ThreadLocalRandom.current().nextInt(hot.size())))).iterator();
	}

	private static Iterator<Map<String, Object>> walking(List<String> codes) {
		AtomicInteger next = new AtomicInteger();
		return java.util.stream.Stream.generate(
				() -> Map.<String, Object>of("code", codes.get(Math.floorMod(next.getAndIncrement(), codes.size())))).iterator();
	}
}
