package io.orderly.platform.messaging;

import java.sql.Timestamp;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the log and the inboxes from growing without bound: a message leaves the log once
 * every subscriber has consumed it and it is older than the retention; an inbox entry once it
 * is older than the inbox retention (longer than any redelivery can lag).
 */
@Component
class LogMaintenance {

	private static final Logger log = LoggerFactory.getLogger(LogMaintenance.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final MessagingProperties properties;

	private final MessagingMetrics metrics;

	private final DeadLetters deadLetters;

	LogMaintenance(JdbcClient jdbc, Clock clock, MessagingProperties properties, MessagingMetrics metrics,
			DeadLetters deadLetters) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
		this.metrics = metrics;
		this.deadLetters = deadLetters;
	}

	@Scheduled(fixedDelayString = "${orderly.messaging.maintenance-interval:60s}", initialDelayString = "10s")
	void purge() {
		var now = clock.instant();
		int messages = jdbc.sql("""
				delete from platform.outbox
				where position <= (select coalesce(min(position), 0) from platform.subscriptions)
				  and published_at < :cutoff""")
			.param("cutoff", Timestamp.from(now.minus(properties.logRetention())))
			.update();
		int inbox = jdbc.sql("delete from platform.inbox where consumed_at < :cutoff")
			.param("cutoff", Timestamp.from(now.minus(properties.inboxRetention())))
			.update();
		if (messages + inbox > 0) {
			log.info("Purged {} consumed message(s) from the log and {} inbox entr(ies)", messages, inbox);
		}
		metrics.deadLettersPending(deadLetters.pending());
	}
}
