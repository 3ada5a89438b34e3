package io.orderly.platform.messaging;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes committed outbox rows to the log by giving them their log position. One relay
 * transaction runs at a time across all processes (each locks the log head row), so the
 * positions of one transaction are all visible before any later position exists: a reader
 * that has seen position p has seen every position below p. A row whose producer commits
 * late simply gets a later position; nothing is skipped.
 *
 * <p>After its commit, and never inside it (a NOTIFY in a commit holds PostgreSQL's notify lock
 * until the commit is flushed), the relay announces the new head and the batch's {@link Topic}s
 * to every process, so that only the consumers that want one of them look at the log.
 */
@Component
class OutboxRelay {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final MessagingProperties properties;

	private final MessagingMetrics metrics;

	private final FaultInjection faults;

	OutboxRelay(JdbcClient jdbc, TransactionTemplate transactions, MessagingProperties properties,
			MessagingMetrics metrics, FaultInjection faults) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.properties = properties;
		this.metrics = metrics;
		this.faults = faults;
	}

	/** What one relay transaction did: rows published, the log head after it, and their topics. */
	record Relayed(int published, long head, Set<Topic> topics) {
	}

	/** Publishes up to one batch. */
	Relayed relayOnce() {
		Relayed relayed = transactions.execute(status -> {
			long head = jdbc.sql("select position from platform.log_head for update").query(Long.class).single();
			List<Published> rows = jdbc.sql("""
					with batch as (
					    select id, row_number() over (order by id) as offset_in_batch
					    from (select id from platform.outbox where position is null order by id limit :limit) unpublished)
					update platform.outbox o
					set position = :head + batch.offset_in_batch, published_at = clock_timestamp()
					from batch where o.id = batch.id
					returning (extract(epoch from (o.published_at - o.created_at)) * 1000000)::bigint as latency,
					          o.type, hashtext(o.subject) & 2147483647 as subject_hash
					""")
				.param("limit", properties.relayBatchSize())
				.param("head", head)
				.query((rs, n) -> new Published(rs.getLong("latency"), new Topic(rs.getString("type"), rs.getInt("subject_hash"))))
				.list();
			if (rows.isEmpty()) {
				return new Relayed(0, head, Set.of());
			}
			long newHead = head + rows.size();
			jdbc.sql("update platform.log_head set position = :head").param("head", newHead).update();
			faults.at(FaultInjection.RELAY_BEFORE_COMMIT);
			rows.forEach(row -> metrics.published(row.latencyMicros()));
			Set<Topic> topics = new LinkedHashSet<>();
			rows.forEach(row -> topics.add(row.topic()));
			return new Relayed(rows.size(), newHead, topics);
		});
		if (relayed.published() > 0) {
			announce(relayed);
		}
		return relayed;
	}

	/** Tells every process's consumers, after commit; a lost announcement costs them only their idle wait. */
	private void announce(Relayed relayed) {
		try {
			jdbc.sql("select pg_notify('" + MessagingWorkers.LOG_CHANNEL + "', :announcement)")
				.param("announcement", Topic.announcement(relayed.head(), relayed.topics()))
				.query()
				.singleRow();
		}
		catch (RuntimeException ex) {
			log.debug("Could not announce log head {}; consumers elsewhere look after their idle wait", relayed.head(), ex);
		}
	}

	private record Published(long latencyMicros, Topic topic) {
	}

	boolean fullBatch(Relayed relayed) {
		return relayed.published() >= properties.relayBatchSize();
	}

	void refreshBacklog() {
		metrics.outboxBacklog(
				jdbc.sql("select count(*) from platform.outbox where position is null").query(Long.class).single());
	}
}
