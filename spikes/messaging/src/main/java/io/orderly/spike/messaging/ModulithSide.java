package io.orderly.spike.messaging;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Spring Modulith 2.0.3's event publication registry (JDBC): the producer publishes an
 * application event inside its transaction; the registry stores one event_publication row per
 * listener in that transaction; after commit the listener runs asynchronously
 * (@ApplicationModuleListener = @Async + @Transactional(REQUIRES_NEW) + @TransactionalEventListener)
 * and the registry marks the publication completed in a separate transaction.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
public class ModulithSide {

	@Bean
	ModulithPublisher modulithPublisher(TransactionTemplate transactions, JdbcTemplate jdbc,
			ApplicationEventPublisher events) {
		return new ModulithPublisher(transactions, jdbc, events);
	}

	@Bean
	ModulithListener modulithListener(JdbcTemplate jdbc, Probe probe, Environment environment) {
		return new ModulithListener(jdbc, probe, environment.getProperty("spike.crash-at", Integer.class, -1),
				environment.getProperty("spike.listener-delay-ms", Long.class, 0L));
	}

	static final class ModulithPublisher implements Publisher {

		private final TransactionTemplate transactions;

		private final JdbcTemplate jdbc;

		private final ApplicationEventPublisher events;

		ModulithPublisher(TransactionTemplate transactions, JdbcTemplate jdbc, ApplicationEventPublisher events) {
			this.transactions = transactions;
			this.jdbc = jdbc;
			this.events = events;
		}

		@Override
		public void publish(Probe.Phase phase, int key) {
			int n = phase.nextEvent();
			transactions.executeWithoutResult(status -> {
				long seq = jdbc.queryForObject(Tx.CHANGE_AGGREGATE, Long.class, key);
				Tx.afterCommit(() -> phase.committed(n));
				events.publishEvent(new SpikeEvent(phase.id, n, key, seq));
			});
		}

		@Override
		public void clearBacklog() {
			jdbc.update("delete from event_publication");
		}

		@Override
		public long incomplete() {
			return jdbc.queryForObject("select count(*) from event_publication where completion_date is null",
					Long.class);
		}
	}

	public static class ModulithListener {

		private final JdbcTemplate jdbc;

		private final Probe probe;

		private final int crashAt;

		private final long delayMillis;

		ModulithListener(JdbcTemplate jdbc, Probe probe, int crashAt, long delayMillis) {
			this.jdbc = jdbc;
			this.probe = probe;
			this.crashAt = crashAt;
			this.delayMillis = delayMillis;
		}

		@ApplicationModuleListener
		public void on(SpikeEvent event) throws InterruptedException {
			if (delayMillis > 0) {
				Thread.sleep(delayMillis); // a slow handler, e.g. a remote call
			}
			boolean inOrder = jdbc.update(Tx.APPLY_IN_ORDER, event.seq(), event.key(), event.seq()) == 1;
			jdbc.update(Tx.RECORD_EFFECT, event.phase(), event.n());
			Tx.afterCommit(() -> {
				if (event.n() == crashAt) {
					// The listener's transaction has committed; the registry has not marked the
					// publication completed yet. Die here, as a kill -9 would.
					Runtime.getRuntime().halt(99);
				}
				Probe.Phase phase = probe.current();
				if (phase.id == event.phase()) {
					phase.consumed(event.n(), inOrder);
				}
			});
		}
	}
}
