package io.orderly.platform.saga;

import java.sql.Timestamp;
import java.time.Clock;

import io.orderly.platform.db.BatchedPurge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps saga history bounded: the history of a saga that ended (completed or compensated) more
 * than {@code orderly.saga.history-retention} ago is deleted, in batches so that no statement
 * holds many locks for long. A saga still running, or waiting for an operator, keeps all of its
 * history however old; the saga's row (its state and outcome) stays.
 */
@Component
class SagaHistoryRetention {

	private static final Logger log = LoggerFactory.getLogger(SagaHistoryRetention.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final SagaProperties properties;

	SagaHistoryRetention(JdbcClient jdbc, Clock clock, SagaProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${orderly.saga.history-purge-interval:5m}", initialDelayString = "30s")
	int purge() {
		Timestamp cutoff = Timestamp.from(clock.instant().minus(properties.historyRetention()));
		int purged = BatchedPurge.run(batch -> jdbc.sql("""
				delete from platform.saga_history where id in (
				    select h.id from platform.saga_history h join platform.sagas s on s.id = h.saga_id
				    where h.at < :cutoff and s.state in ('COMPLETED', 'COMPENSATED') and s.updated_at < :cutoff
				    limit :batch)""")
			.param("cutoff", cutoff)
			.param("batch", batch)
			.update());
		if (purged > 0) {
			log.info("Purged {} saga history entr(ies) of sagas that ended before {}", purged, cutoff.toInstant());
		}
		return purged;
	}
}
