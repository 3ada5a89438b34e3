package io.orderly.order.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Bounds how many orders may be in checkout at once. Accepting orders faster than the saga
 * completes them only makes a queue whose wait counts against every step's deadline, so an
 * order accepted into a deep backlog would be cancelled for a timeout it did not cause. Past
 * the bound a new order is refused with 503 and {@code Retry-After} instead: nothing is
 * stored, and the client may send it again.
 *
 * <p>The bound follows what the platform achieves: it is the number of orders this instance
 * completes in {@code orderly.order.backlog-drain} (10 s) at its recent rate (a moving average
 * over about five seconds), at least {@code orderly.order.min-pending} (100, so a cold start
 * or a lull accepts work) and at most {@code orderly.order.max-pending} (2,500). The pending
 * count is the database's (so it holds across instances), the rate this instance's own (with
 * several instances the bound is stricter than needed, never looser). Both are refreshed every
 * {@code orderly.order.backlog-refresh}.
 */
@Component
@ConditionalOnModule("order")
public class OrderBacklog {

	private static final double AVERAGE_OVER_SECONDS = 5;

	private final JdbcClient jdbc;

	private final int minPending;

	private final int maxPending;

	private final double drainSeconds;

	private final AtomicLong completions = new AtomicLong();

	private volatile long pending;

	private volatile long limit;

	private double rate;

	private long lastCompletions;

	private long lastRefresh = System.nanoTime();

	OrderBacklog(JdbcClient jdbc, MeterRegistry meters, @Value("${orderly.order.min-pending:100}") int minPending,
			@Value("${orderly.order.max-pending:2500}") int maxPending,
			@Value("${orderly.order.backlog-drain:10s}") Duration drain) {
		this.jdbc = jdbc;
		this.maxPending = maxPending;
		this.minPending = Math.min(minPending, maxPending);
		this.drainSeconds = drain.toMillis() / 1000.0;
		this.limit = this.minPending;
		Gauge.builder("orderly.orders.pending", this, backlog -> backlog.pending)
			.description("Orders in checkout (counted up to the largest bound and one more)")
			.register(meters);
		Gauge.builder("orderly.orders.pending.limit", this, backlog -> backlog.limit)
			.description("Orders in checkout beyond which new orders are refused (follows the completion rate)")
			.register(meters);
	}

	/** Refuses a new order while the backlog is full. */
	public void admit() {
		if (pending >= limit) {
			throw ProblemException.unavailable("busy", "Too many orders in checkout",
					"The shop is completing " + pending + " orders; this one was not accepted. Send it again shortly.",
					Duration.ofSeconds(2));
		}
	}

	/** An order left checkout (confirmed or cancelled) on this instance. */
	public void completed() {
		completions.incrementAndGet();
	}

	@Scheduled(fixedDelayString = "${orderly.order.backlog-refresh:250ms}")
	public void refresh() {
		long now = System.nanoTime();
		long done = completions.get();
		limit = limitAfter(done - lastCompletions, now - lastRefresh);
		lastCompletions = done;
		lastRefresh = now;
		pending = jdbc.sql("select count(*) from (select 1 from orders.orders where status = 'PENDING' limit :cap) pending")
			.param("cap", maxPending + 1)
			.query(Long.class)
			.single();
	}

	/** Takes in {@code completed} orders over {@code elapsedNanos}; returns the new bound. */
	synchronized long limitAfter(long completed, long elapsedNanos) {
		double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
		double weight = Math.min(seconds / AVERAGE_OVER_SECONDS, 1);
		rate += (completed / seconds - rate) * weight;
		return Math.clamp(Math.round(rate * drainSeconds), minPending, maxPending);
	}

	long limit() {
		return limit;
	}
}
