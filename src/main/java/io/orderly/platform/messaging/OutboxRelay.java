package io.orderly.platform.messaging;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes committed outbox rows to the log by giving them their log position. One relay
 * transaction runs at a time across all processes (each locks the log head row), so the
 * positions of one transaction are all visible before any later position exists: a reader
 * that has seen position p has seen every position below p. A row whose producer commits
 * late simply gets a later position; nothing is skipped.
 */
@Component
class OutboxRelay {

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

	/** What one relay transaction did: rows published and the log head after it. */
	record Relayed(int published, long head) {
	}

	/** Publishes up to one batch. */
	Relayed relayOnce() {
		Relayed relayed = transactions.execute(status -> {
			long head = jdbc.sql("select position from platform.log_head for update").query(Long.class).single();
			List<Long> latencies = jdbc.sql("""
					with batch as (
					    select id, row_number() over (order by id) as offset_in_batch
					    from (select id from platform.outbox where position is null order by id limit :limit) unpublished)
					update platform.outbox o
					set position = :head + batch.offset_in_batch, published_at = clock_timestamp()
					from batch where o.id = batch.id
					returning (extract(epoch from (o.published_at - o.created_at)) * 1000000)::bigint
					""")
				.param("limit", properties.relayBatchSize())
				.param("head", head)
				.query(Long.class)
				.list();
			if (latencies.isEmpty()) {
				return new Relayed(0, head);
			}
			long newHead = head + latencies.size();
			jdbc.sql("update platform.log_head set position = :head").param("head", newHead).update();
			jdbc.sql("select pg_notify('orderly_log', :head)").param("head", Long.toString(newHead)).query().singleRow();
			faults.at(FaultInjection.RELAY_BEFORE_COMMIT);
			latencies.forEach(metrics::published);
			return new Relayed(latencies.size(), newHead);
		});
		return relayed;
	}

	boolean fullBatch(Relayed relayed) {
		return relayed.published() >= properties.relayBatchSize();
	}

	void refreshBacklog() {
		metrics.outboxBacklog(
				jdbc.sql("select count(*) from platform.outbox where position is null").query(Long.class).single());
	}
}
