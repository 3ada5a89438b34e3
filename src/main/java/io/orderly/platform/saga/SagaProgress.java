package io.orderly.platform.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.orderly.platform.messaging.Notifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells whoever follows a saga (an order's live status stream) that it moved, on every
 * instance: after the transaction that recorded the move commits, this instance's listeners at
 * once, and the others through one coalescing sender thread that announces the sagas that moved
 * since its last signal in a single {@code NOTIFY} ({@value #CHANNEL}: {@code instance|id,id,...}),
 * outside any transaction (a NOTIFY inside a commit would serialise commits); an instance
 * ignores its own. Signals carry no content: a listener reads
 * what changed. A lost signal is made good by the listener's own periodic look.
 */
@Component
public class SagaProgress implements SmartLifecycle {

	/** Fired for a saga that moved; must return at once (hand the work to another thread). */
	public interface Listener {

		void moved(String sagaId);

		/** Signals may have been missed (the listening connection was re-established). */
		void mayHaveMissed();
	}

	static final String CHANNEL = "orderly_saga_progress";

	/** A NOTIFY payload stays under PostgreSQL's 8,000 bytes. */
	private static final int MAX_PAYLOAD = 7_000;

	private static final Logger log = LoggerFactory.getLogger(SagaProgress.class);

	private final Notifications notifications;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private final LinkedBlockingQueue<String> outgoing = new LinkedBlockingQueue<>(100_000);

	private volatile Thread sender;

	/** Names this instance in its signals, so that it does not act on its own twice. */
	private final String instance = java.util.UUID.randomUUID().toString();

	SagaProgress(Notifications notifications) {
		this.notifications = notifications;
		notifications.listen(CHANNEL, new Notifications.Listener() {
			@Override
			public void on(String payload) {
				int bar = payload.indexOf('|');
				if (bar < 0 || payload.substring(0, bar).equals(instance)) {
					return; // this instance's own signal: its listeners heard it at commit
				}
				for (String id : payload.substring(bar + 1).split(",")) {
					if (!id.isEmpty()) {
						fire(id);
					}
				}
			}

			@Override
			public void listeningRestarted() {
				listeners.forEach(Listener::mayHaveMissed);
			}
		});
	}

	public void listen(Listener listener) {
		listeners.add(listener);
	}

	/**
	 * Records that {@code sagaId} moved in the current transaction (its history, or what it runs
	 * for, such as its order's progress): signalled once it commits, at once without one.
	 */
	public void moved(String sagaId) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			signal(sagaId);
			return;
		}
		String key = SagaProgress.class.getName() + ":" + sagaId;
		if (TransactionSynchronizationManager.hasResource(key)) {
			return;
		}
		TransactionSynchronizationManager.bindResource(key, Boolean.TRUE);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(key);
				if (status == STATUS_COMMITTED) {
					signal(sagaId);
				}
			}
		});
	}

	private void signal(String sagaId) {
		fire(sagaId);
		if (!outgoing.offer(sagaId)) {
			log.debug("Saga progress signals are backed up; {} is told to other instances by their periodic look", sagaId);
		}
	}

	private void fire(String sagaId) {
		for (Listener listener : listeners) {
			try {
				listener.moved(sagaId);
			}
			catch (RuntimeException ex) {
				log.warn("A saga progress listener failed for {}", sagaId, ex);
			}
		}
	}

	private void send() {
		while (sender == Thread.currentThread()) {
			try {
				String first = outgoing.poll(1, TimeUnit.SECONDS);
				if (first == null) {
					continue;
				}
				String prefix = instance + "|";
				StringBuilder payload = new StringBuilder(prefix).append(first);
				Set<String> named = new java.util.HashSet<>(List.of(first));
				List<String> more = new ArrayList<>();
				outgoing.drainTo(more, 500);
				for (String id : more) {
					if (payload.length() + id.length() + 1 > MAX_PAYLOAD) {
						notifications.send(CHANNEL, payload.toString());
						payload.setLength(0);
						payload.append(prefix);
						named.clear();
					}
					if (named.add(id)) {
						payload.append(payload.length() == prefix.length() ? "" : ",").append(id);
					}
				}
				notifications.send(CHANNEL, payload.toString());
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				// The database is away: the other instances' streams look on their own meanwhile.
				log.debug("Could not announce saga progress", ex);
				try {
					Thread.sleep(Duration.ofSeconds(1)); // back off, not synchronisation
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

	@Override
	public synchronized void start() {
		if (sender == null) {
			sender = Thread.ofPlatform().name("orderly-saga-progress").daemon().unstarted(this::send);
			sender.start();
		}
	}

	@Override
	public synchronized void stop() {
		Thread running = sender;
		sender = null;
		if (running != null) {
			running.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return sender != null;
	}
}
