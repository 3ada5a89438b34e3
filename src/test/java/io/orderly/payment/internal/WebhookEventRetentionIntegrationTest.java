package io.orderly.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.orderly.payment.PaymentIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhook events are forgotten once the provider can no longer deliver them again (7 days), not before. */
@PaymentIntegrationTest
class WebhookEventRetentionIntegrationTest {

	@Autowired
	WebhookEventRetention retention;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Clock clock;

	@Test
	void forgetsOnlyEventsOlderThanTheRetention() {
		String old = event(Duration.ofDays(8));
		String recent = event(Duration.ofDays(6));

		assertThat(retention.purge()).isGreaterThanOrEqualTo(1);

		assertThat(exists(old)).isFalse();
		assertThat(exists(recent)).isTrue();
	}

	private String event(Duration age) {
		String id = "evt_" + UUID.randomUUID();
		jdbc.sql("""
				insert into payment.webhook_events (event_id, type, reference, outcome, received_at)
				values (:id, 'charge.authorized', 'order-x', 'UNMATCHED', :at)""")
			.param("id", id)
			.param("at", Timestamp.from(clock.instant().minus(age)))
			.update();
		return id;
	}

	private boolean exists(String id) {
		return jdbc.sql("select exists (select 1 from payment.webhook_events where event_id = :id)")
			.param("id", id)
			.query(Boolean.class)
			.single();
	}
}
