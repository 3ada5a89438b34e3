package io.orderly.platform.web;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.orderly.platform.Foreground;
import io.orderly.platform.LogEvery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds how many requests the API works on at once (a Resilience4j semaphore bulkhead), and
 * apart from them how many webhooks (outside systems telling us what they did: payments,
 * shipments, delivery receipts), so that neither can take the other's turns: customers
 * saturating the API do not have a provider's reports refused, and a provider reporting a
 * broadcast's hundred thousand receipts as fast as it sent them does not take checkout's
 * database connections.
 * Requests run on virtual threads, so without a bound every request of a burst would reach
 * for a database connection at once, wait out the pool's timeout and fail with a 500. Here a
 * request beyond the bound waits its turn for at most {@code max-wait}, then gets a 503
 * problem with {@code Retry-After}; nothing of it has run, so a retry is always safe. It comes
 * before Spring Security, so that under overload a refusal costs next to nothing (after it, every
 * refused request first paid for its token's verification: at 150 checkouts/s offered, goodput
 * fell from 16 to 1 order/s); a request's body is read before it takes a turn.
 * <p>It is also the process's {@link Foreground}: the API is busy while {@code busy-turns} of its
 * turns are taken (or a request waits for one), and for {@code busy-linger} after a request found
 * it so; work nobody waits for gives way meanwhile.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 50)
@EnableConfigurationProperties(AdmissionProperties.class)
class AdmissionFilter extends OncePerRequestFilter implements Foreground {

	private static final Logger log = LoggerFactory.getLogger(AdmissionFilter.class);

	private final LogEvery refusals = new LogEvery(java.time.Duration.ofSeconds(1));

	private final Bulkhead bulkhead;

	private final AtomicInteger waiting = new AtomicInteger();

	private final Bulkhead webhooks;

	private final AtomicInteger webhooksWaiting = new AtomicInteger();

	private final AdmissionProperties properties;

	/** When a request last found the API busy ({@link System#nanoTime()}). */
	private volatile long busySince = System.nanoTime() - Long.MAX_VALUE / 2;

	AdmissionFilter(AdmissionProperties properties, MeterRegistry meters) {
		this.properties = properties;
		BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.custom()
			.maxConcurrentCalls(properties.maxConcurrentRequests())
			.maxWaitDuration(properties.maxWait())
			.fairCallHandlingStrategyEnabled(true)
			.build());
		this.bulkhead = registry.bulkhead("http");
		this.webhooks = registry.bulkhead("http-webhooks", BulkheadConfig.custom()
			.maxConcurrentCalls(properties.maxConcurrentWebhooks())
			.maxWaitDuration(properties.maxWait())
			.fairCallHandlingStrategyEnabled(true)
			.build());
		TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(meters);
		Gauge.builder("orderly.http.admission.waiting", waiting, AtomicInteger::get)
			.description("Requests waiting for a turn")
			.register(meters);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return properties.excludedPathPrefixes().stream().anyMatch(request.getRequestURI()::startsWith);
	}

	/**
	 * Takes a turn, waiting at most {@code max-wait}, unless {@code max-waiting} requests already
	 * wait: then it is refused at once. Unbounded, a storm of retries made a line of thousands of
	 * waiters, and taking each one that gave up out of the lock's line cost time that grows with the
	 * line (at 150 checkouts/s offered, 23% of the JVM's CPU went to it and goodput collapsed).
	 */
	private boolean admitted(Bulkhead lane, AtomicInteger line) {
		int ahead = line.getAndIncrement();
		try {
			return ahead < properties.maxWaiting() && lane.tryAcquirePermission();
		}
		finally {
			line.decrementAndGet();
		}
	}

	@Override
	public boolean busy() {
		return taken() >= properties.busyTurns() || waiting.get() > 0
				|| System.nanoTime() - busySince < properties.busyLinger().toNanos();
	}

	/** The API's turns taken now. */
	private int taken() {
		return properties.maxConcurrentRequests() - bulkhead.getMetrics().getAvailableConcurrentCalls();
	}

	/** Requests waiting for a turn now (and those taking one this instant). */
	int waiting() {
		return waiting.get();
	}

	/** One line a second at most, with how many were refused since the last: overload must not flood the log. */
	private void logRefusal(HttpServletRequest request, boolean webhook) {
		long refused = refusals.occurred();
		if (refused > 0) {
			log.warn("Overloaded: {} requests refused in the last second (latest {} {}): {} turns of the {} line taken "
					+ "and {} waiting (at most {}, each at most {})", refused, request.getMethod(), request.getRequestURI(),
					webhook ? properties.maxConcurrentWebhooks() : properties.maxConcurrentRequests(),
					webhook ? "webhooks'" : "API's", (webhook ? webhooksWaiting : waiting).get(), properties.maxWaiting(),
					properties.maxWait());
		}
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// The body first, then a turn: a client that is slow to send its body (or never does)
		// holds a connection and a virtual thread, never one of the turns other clients wait for.
		HttpServletRequest received;
		try {
			received = ReceivedBody.read(request, properties.bodyDeadline());
		}
		catch (BodySizeFilter.BodyTooLargeException ex) {
			response.setHeader("Connection", "close");
			Problems.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
					ex.getMessage()));
			response.flushBuffer();
			return;
		}
		catch (IOException ex) {
			response.setHeader("Connection", "close");
			Problems.write(response, Problems.of(HttpStatus.REQUEST_TIMEOUT, "request-timeout", "Request timeout",
					"The request body did not arrive within " + properties.bodyDeadline().toSeconds() + " s."));
			// Out now: the container would otherwise first wait for the rest of the body.
			response.flushBuffer();
			return;
		}
		boolean webhook = properties.webhookPathPrefixes().stream().anyMatch(request.getRequestURI()::startsWith);
		Bulkhead lane = webhook ? webhooks : bulkhead;
		boolean admitted = admitted(lane, webhook ? webhooksWaiting : waiting);
		if (!webhook && (!admitted || taken() >= properties.busyTurns())) {
			busySince = System.nanoTime();
		}
		if (!admitted) {
			logRefusal(request, webhook);
			response.setHeader("Retry-After", Long.toString(Math.max(1, properties.retryAfter().toSeconds())));
			Problems.write(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Overloaded",
					"The service is handling as many requests as it can; retry after the time in Retry-After."));
			return;
		}
		try {
			chain.doFilter(received, response);
		}
		finally {
			lane.onComplete();
		}
	}
}
