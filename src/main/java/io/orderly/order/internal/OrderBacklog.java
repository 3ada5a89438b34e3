package io.orderly.order.internal;

import java.time.Duration;

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
 * {@code orderly.order.max-pending} a new order is refused with 503 and {@code Retry-After}
 * instead: nothing is stored, and the client may send it again. The count is the database's
 * (so it holds across instances), refreshed every {@code orderly.order.backlog-refresh}.
 */
@Component
@ConditionalOnModule("order")
public class OrderBacklog {

	private final JdbcClient jdbc;

	private final int maxPending;

	private volatile long pending;

	OrderBacklog(JdbcClient jdbc, MeterRegistry meters, @Value("${orderly.order.max-pending:2500}") int maxPending) {
		this.jdbc = jdbc;
		this.maxPending = maxPending;
		Gauge.builder("orderly.orders.pending", this, backlog -> backlog.pending)
			.description("Orders in checkout (counted up to the bound and one more)")
			.register(meters);
	}

	/** Refuses a new order while the backlog is full. */
	public void admit() {
		if (pending >= maxPending) {
			throw ProblemException.unavailable("busy", "Too many orders in checkout",
					"The shop is completing " + pending + " orders; this one was not accepted. Send it again shortly.",
					Duration.ofSeconds(2));
		}
	}

	@Scheduled(fixedDelayString = "${orderly.order.backlog-refresh:250ms}")
	public void refresh() {
		pending = jdbc.sql("select count(*) from (select 1 from orders.orders where status = 'PENDING' limit :cap) pending")
			.param("cap", maxPending + 1)
			.query(Long.class)
			.single();
	}
}
