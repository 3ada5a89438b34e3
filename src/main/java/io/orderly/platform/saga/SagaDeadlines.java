package io.orderly.platform.saga;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finds sagas whose deadline passed and applies it, a batch per transaction, skipping sagas
 * another process is handling. Also keeps the needs-attention gauge.
 */
@Component
class SagaDeadlines {

	private static final Logger log = LoggerFactory.getLogger(SagaDeadlines.class);

	private final SagaStore store;

	private final Sagas sagas;

	private final TransactionTemplate transactions;

	private final AtomicLong needsAttention = new AtomicLong();

	SagaDeadlines(SagaStore store, Sagas sagas, TransactionTemplate transactions, MeterRegistry meters) {
		this.store = store;
		this.sagas = sagas;
		this.transactions = transactions;
		Gauge.builder("orderly.saga.needs.attention.pending", needsAttention, AtomicLong::get)
			.description("Sagas waiting for an operator")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${orderly.saga.deadline-scan-interval:500ms}")
	void applyPassedDeadlines() {
		int applied;
		do {
			Integer count = transactions.execute(status -> {
				var due = store.lockDue(100);
				due.forEach(sagas::onDeadline);
				return due.size();
			});
			applied = count == null ? 0 : count;
			if (applied > 0) {
				log.info("Applied {} saga deadline(s)", applied);
			}
		}
		while (applied == 100);
		needsAttention.set(store.count(SagaState.NEEDS_ATTENTION));
	}
}
