package io.orderly.providers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.orderly.platform.webhooks.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One simulated SMS or push provider on a port of its own (the JDK's HTTP server): it accepts a
 * message once per idempotency key, within its rate limit, reports it by a signed receipt, and
 * misbehaves as told ({@link Faults}).
 */
final class SimulatedProvider {

	private static final Logger log = LoggerFactory.getLogger(SimulatedProvider.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");

	/** About an hour of tries (the first few sooner, then every 30 s). */
	private static final int MAX_RECEIPT_ATTEMPTS = 125;

	/** What the provider is told to do wrong. */
	record Faults(double errorRate, long latencyMs, double timeoutRate, long hangMs, boolean down) {

		static final Faults NONE = new Faults(0, 0, 0, 0, false);

		Faults {
			if (errorRate < 0 || errorRate > 1 || timeoutRate < 0 || timeoutRate > 1 || latencyMs < 0 || hangMs < 0
					|| latencyMs > 60_000 || hangMs > 120_000) {
				throw new IllegalArgumentException("Fault settings out of range");
			}
		}
	}

	/** A message it took: its id, recipient and how many times it was asked for it. */
	record Accepted(String id, String to, AtomicLong asked) {
	}

	private final String name;

	private final boolean sms;

	private final int port;

	private final String host;

	private final int ratePerSecond;

	private final Bucket rate;

	private final Duration receiptDelay;

	private final Supplier<String> receiptUrl;

	private final String secret;

	private final Clock clock;

	private final ScheduledExecutorService receipts;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<String, Accepted> byKey = new ConcurrentHashMap<>();

	private final Map<Long, AtomicLong> acceptedPerSecond = new ConcurrentHashMap<>();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	private final AtomicLong rateLimited = new AtomicLong();

	private final AtomicLong errors = new AtomicLong();

	private final AtomicLong rejected = new AtomicLong();

	private final AtomicLong receiptsSent = new AtomicLong();

	/** Receipts on their way at once: a provider reports at its own pace, not all at once. */
	private final Semaphore receiptsInFlight = new Semaphore(16);

	private volatile Faults faults = Faults.NONE;

	private HttpServer server;

	SimulatedProvider(String name, String host, int port, int ratePerSecond, Duration receiptDelay,
			Supplier<String> receiptUrl, String secret, Clock clock, ScheduledExecutorService receipts) {
		this.name = name;
		this.sms = name.startsWith("sms");
		this.host = host;
		this.port = port;
		this.ratePerSecond = ratePerSecond;
		this.rate = Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(ratePerSecond).refillGreedy(ratePerSecond, Duration.ofSeconds(1)).build())
			.build();
		this.receiptDelay = receiptDelay;
		this.receiptUrl = receiptUrl;
		this.secret = secret;
		this.clock = clock;
		this.receipts = receipts;
	}

	String name() {
		return name;
	}

	synchronized void start() {
		if (server != null) {
			return;
		}
		try {
			server = HttpServer.create(new InetSocketAddress(host, port), 200);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Provider simulator " + name + " cannot listen on " + host + ":" + port, ex);
		}
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/v1/messages", this::handle);
		server.start();
	}

	synchronized void stop() {
		if (server != null) {
			server.stop(0);
			server = null;
		}
	}

	/** Sets the faults; down closes the port (connections refused), up opens it again. */
	synchronized void setFaults(Faults faults) {
		this.faults = faults;
		if (faults.down()) {
			stop();
			log.info("Provider simulator {} is down: port {} refuses connections", name, port);
		}
		else if (server == null) {
			start();
			log.info("Provider simulator {} is up again on port {}", name, port);
		}
	}

	ProviderRecords records() {
		long max = acceptedPerSecond.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
		Faults now = faults;
		return new ProviderRecords(name, port, now.errorRate(), now.latencyMs(), now.timeoutRate(), now.hangMs(),
				now.down(), requests.get(), byKey.size(), duplicates.get(), rateLimited.get(), errors.get(),
				rejected.get(), receiptsSent.get(), max, ratePerSecond);
	}

	/** How many times the message with this idempotency key was asked for (0: never taken). */
	long askedFor(String key) {
		Accepted accepted = byKey.get(key);
		return accepted == null ? 0 : accepted.asked().get();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			requests.incrementAndGet();
			if (!"POST".equals(exchange.getRequestMethod())) {
				answer(exchange, 405, Map.of("error", "method_not_allowed"));
				return;
			}
			String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
			JsonNode body;
			try (InputStream in = exchange.getRequestBody()) {
				body = JSON.readTree(in.readNBytes(64 * 1024));
			}
			catch (RuntimeException unreadable) {
				answer(exchange, 400, Map.of("error", "invalid_body"));
				return;
			}
			if (key == null || key.isBlank() || key.length() > 200) {
				answer(exchange, 400, Map.of("error", "idempotency_key_required"));
				return;
			}
			Faults now = faults;
			pause(now.latencyMs());
			if (ThreadLocalRandom.current().nextDouble() < now.errorRate()) {
				errors.incrementAndGet();
				answer(exchange, 503, Map.of("error", "unavailable"));
				return;
			}
			Accepted seen = byKey.get(key);
			if (seen != null) {
				duplicates.incrementAndGet();
				seen.asked().incrementAndGet();
				answer(exchange, 202, Map.of("id", seen.id(), "status", "accepted"));
				return;
			}
			if (!rate.tryConsume(1)) {
				rateLimited.incrementAndGet();
				exchange.getResponseHeaders().add("Retry-After", "1");
				answer(exchange, 429, Map.of("error", "rate_limited"));
				return;
			}
			String to = body.path("to").asString("");
			if (sms ? !PHONE.matcher(to).matches() || to.endsWith("0000") : to.isBlank() || to.length() > 2000) {
				rejected.incrementAndGet();
				answer(exchange, 422, Map.of("error", "invalid_recipient"));
				return;
			}
			Accepted accepted = byKey.computeIfAbsent(key,
					k -> new Accepted(name + "-" + UUID.randomUUID(), to, new AtomicLong()));
			if (accepted.asked().getAndIncrement() == 0) {
				acceptedPerSecond.computeIfAbsent(clock.millis() / 1000, s -> new AtomicLong()).incrementAndGet();
				scheduleReceipt(accepted, 1);
			}
			if (ThreadLocalRandom.current().nextDouble() < now.timeoutRate()) {
				// Sent, but the answer comes too late for the client to wait for.
				pause(now.hangMs());
			}
			answer(exchange, 202, Map.of("id", accepted.id(), "status", "accepted"));
		}
	}

	private void scheduleReceipt(Accepted accepted, int attempt) {
		receipts.schedule(() -> sendReceipt(accepted, attempt),
				attempt == 1 ? receiptDelay.toMillis() : Math.min(1000L << Math.min(attempt, 5), 30_000),
				TimeUnit.MILLISECONDS);
	}

	/**
	 * Reports the message's fate; again with backoff (at most 30 s apart) until the receiver
	 * answers 2xx, for about an hour, as providers keep a webhook they could not deliver. The call
	 * is asynchronous: a provider reports as fast as it accepts, and no thread waits on the receiver.
	 */
	private void sendReceipt(Accepted accepted, int attempt) {
		String url = receiptUrl.get();
		if (url == null) {
			return;
		}
		if (!receiptsInFlight.tryAcquire()) {
			// Its turn comes shortly; this is not an attempt.
			receipts.schedule(() -> sendReceipt(accepted, attempt), 50, TimeUnit.MILLISECONDS);
			return;
		}
		String status = accepted.to().endsWith("9999") ? "bounced" : "delivered";
		String body = JSON.writeValueAsString(Map.of("messageId", accepted.id(), "status", status, "at",
				clock.instant().toString()));
		http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/" + name))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.header(WebhookSignature.HEADER, WebhookSignature.sign(secret, clock.instant().getEpochSecond(), body))
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
				receiptsInFlight.release();
				if (error == null && response.statusCode() / 100 == 2) {
					receiptsSent.incrementAndGet();
					return;
				}
				log.debug("Receipt of {} not delivered: {}", accepted.id(), error != null ? error : response.statusCode());
				if (attempt < MAX_RECEIPT_ATTEMPTS && !receipts.isShutdown()) {
					scheduleReceipt(accepted, attempt + 1);
				}
			});
	}

	/**
	 * The provider being slow, as told by its faults: this request's own thread (a virtual one)
	 * waits, as a slow provider keeps its client waiting. Nothing else waits on it.
	 */
	private static void pause(long millis) {
		if (millis <= 0) {
			return;
		}
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void answer(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}
}
