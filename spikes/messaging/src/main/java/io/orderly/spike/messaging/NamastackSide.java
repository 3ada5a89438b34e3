package io.orderly.spike.messaging;

import io.namastack.outbox.Outbox;
import io.namastack.outbox.annotation.OutboxHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * namastack-outbox 1.6.0 (JDBC): the producer calls {@code Outbox.schedule(payload, key)} in its
 * transaction (one outbox_record row per handler); a scheduler on each instance polls its
 * partitions and runs the handler; the record is marked completed after the handler returns.
 * The handler applies its effect in its own transaction.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class NamastackSide {

	@Bean
	NamastackPublisher namastackPublisher(TransactionTemplate transactions, JdbcTemplate jdbc, Outbox outbox) {
		return new NamastackPublisher(transactions, jdbc, outbox);
	}

	@Bean
	NamastackHandler namastackHandler(TransactionTemplate transactions, JdbcTemplate jdbc, Probe probe) {
		return new NamastackHandler(transactions, jdbc, probe);
	}

	static final class NamastackPublisher implements Publisher {

		private final TransactionTemplate transactions;

		private final JdbcTemplate jdbc;

		private final Outbox outbox;

		NamastackPublisher(TransactionTemplate transactions, JdbcTemplate jdbc, Outbox outbox) {
			this.transactions = transactions;
			this.jdbc = jdbc;
			this.outbox = outbox;
		}

		@Override
		public void publish(Probe.Phase phase, int key) {
			int n = phase.nextEvent();
			transactions.executeWithoutResult(status -> {
				long seq = jdbc.queryForObject(Tx.CHANGE_AGGREGATE, Long.class, key);
				Tx.afterCommit(() -> phase.committed(n));
				outbox.schedule(new SpikeEvent(phase.id, n, key, seq), "aggregate-" + key);
			});
		}

		@Override
		public void clearBacklog() {
			jdbc.update("delete from outbox_record");
		}

		@Override
		public long incomplete() {
			return jdbc.queryForObject("select count(*) from outbox_record where completed_at is null", Long.class);
		}
	}

	public static class NamastackHandler {

		private final TransactionTemplate transactions;

		private final JdbcTemplate jdbc;

		private final Probe probe;

		NamastackHandler(TransactionTemplate transactions, JdbcTemplate jdbc, Probe probe) {
			this.transactions = transactions;
			this.jdbc = jdbc;
			this.probe = probe;
		}

		@OutboxHandler
		public void handle(SpikeEvent event) {
			transactions.executeWithoutResult(status -> {
				boolean inOrder = jdbc.update(Tx.APPLY_IN_ORDER, event.seq(), event.key(), event.seq()) == 1;
				jdbc.update(Tx.RECORD_EFFECT, event.phase(), event.n());
				Tx.afterCommit(() -> {
					Probe.Phase phase = probe.current();
					if (phase.id == event.phase()) {
						phase.consumed(event.n(), inOrder);
					}
				});
			});
		}
	}
}
