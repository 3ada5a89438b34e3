package io.orderly.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.db.BatchedPurge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code payment.webhook_events} bounded (two rows per order otherwise, forever): an event
 * received more than {@code orderly.payment.webhooks.retention} (7 days) ago is deleted, in
 * batches. Keep the retention above the provider's redelivery window; a delivery of an event
 * already forgotten is applied again, which is harmless (an event is a hint, and the payment is
 * reconciled with what the provider holds).
 */
@Component
@ConditionalOnModule("payment")
class WebhookEventRetention {

	private static final Logger log = LoggerFactory.getLogger(WebhookEventRetention.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration retention;

	WebhookEventRetention(JdbcClient jdbc, Clock clock,
			@Value("${orderly.payment.webhooks.retention:7d}") Duration retention) {
		if (!retention.isPositive()) {
			throw new IllegalArgumentException("orderly.payment.webhooks.retention must be positive, was " + retention);
		}
		this.jdbc = jdbc;
		this.clock = clock;
		this.retention = retention;
	}

	@Scheduled(fixedDelayString = "${orderly.payment.webhooks.purge-interval:5m}", initialDelayString = "30s")
	int purge() {
		Timestamp cutoff = Timestamp.from(clock.instant().minus(retention));
		int purged = BatchedPurge.run(batch -> jdbc.sql("""
				delete from payment.webhook_events where event_id in (
				    select event_id from payment.webhook_events where received_at < :cutoff limit :batch)""")
			.param("cutoff", cutoff)
			.param("batch", batch)
			.update());
		if (purged > 0) {
			log.info("Purged {} webhook event(s) received before {}", purged, cutoff.toInstant());
		}
		return purged;
	}
}
