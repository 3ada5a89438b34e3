package io.orderly.platform.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.orderly.platform.LogEvery;
import io.orderly.platform.db.DatabaseReachability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The threads that move messages: the relay and one worker per subscription, woken by
 * commits and by the relay's announcements ({@link NotificationListener} hears those of other
 * processes), so a committed message is published and consumed within milliseconds without
 * polling; a worker still looks on its own after {@code idleWait} in case a notification was
 * missed. A producer's commit wakes this process's relay (any relay publishes every committed
 * row), or, in a process that runs none, the relays elsewhere ({@link RelayWakeUp}); the relay's
 * announcement of what it published wakes, in every process, only the consumers that want one
 * of its {@link Topic}s. Stopping lets every worker finish the round it is in.
 */
final class MessagingWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(MessagingWorkers.class);

	private final OutboxRelay relay;

	/** Sends the log on to a broker (the Kafka transport); null when the consumers read the log itself. */
	private final LogPublisher publisher;

	private final WakeSignal publisherSignal = new WakeSignal();

	private final List<SubscriptionConsumer> consumers;

	private final MessagingProperties properties;

	private final Clock clock;

	private final WakeSignal relaySignal = new WakeSignal();

	private final RelayWakeUp relayWakeUp;

	private final Map<String, WakeSignal> consumerSignals = new ConcurrentHashMap<>();

	private final List<Thread> threads = new ArrayList<>();

	private final LogEvery withoutDatabase = new LogEvery(Duration.ofSeconds(1));

	private volatile boolean running;

	/** The log head the relay last announced; -1 until one is heard. */
	private final AtomicLong knownHead = new AtomicLong(-1);

	/** The relay's announcements ({@link Topic#announcement}). */
	static final String LOG_CHANNEL = "orderly_log";

	MessagingWorkers(OutboxRelay relay, LogPublisher publisher, List<SubscriptionConsumer> consumers,
			MessagingProperties properties, Clock clock, RelayWakeUp relayWakeUp, Notifications notifications) {
		this.publisher = publisher;
		this.relayWakeUp = relayWakeUp;
		relayWakeUp.localRelay(this::wakeRelay);
		notifications.listen(RelayWakeUp.CHANNEL, new Notifications.Listener() {
			@Override
			public void on(String nothing) {
				relaySignal.wake();
			}

			@Override
			public void listeningRestarted() {
				relaySignal.wake();
			}
		});
		notifications.listen(LOG_CHANNEL, new Notifications.Listener() {
			@Override
			public void on(String announcement) {
				announced(Topic.head(announcement), Topic.topics(announcement));
			}

			@Override
			public void listeningRestarted() {
				// Anything announced while nobody listened: every consumer looks.
				wakeAll();
			}
		});
		this.relay = relay;
		this.consumers = List.copyOf(consumers);
		this.properties = properties;
		this.clock = clock;
		consumers.forEach(c -> consumerSignals.put(c.name(), new WakeSignal()));
	}

	@Override
	public synchronized void start() {
		if (running) {
			return;
		}
		running = true;
		threads.add(Thread.ofPlatform().name("orderly-relay").start(this::relay));
		if (publisher != null) {
			threads.add(Thread.ofPlatform().name("orderly-log-publisher").start(this::publish));
		}
		for (SubscriptionConsumer consumer : consumers) {
			threads.add(Thread.ofPlatform().name("orderly-consumer-" + consumer.name()).start(() -> consume(consumer)));
		}
		log.info("Messaging started: relay and {} subscription(s) {}", consumers.size(),
				consumers.stream().map(SubscriptionConsumer::name).toList());
	}

	@Override
	public synchronized void stop() {
		running = false;
		relaySignal.wake();
		publisherSignal.wake();
		consumerSignals.values().forEach(WakeSignal::wake);
		consumers.forEach(SubscriptionConsumer::wakeUp);
		for (Thread thread : threads) {
			try {
				thread.join(Duration.ofSeconds(15));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		threads.clear();
		// A commit that saw the relay still running just before it stopped woke nobody else.
		relayWakeUp.committed();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Wakes the relay; false once it no longer runs (the commit must then wake a relay elsewhere). */
	private boolean wakeRelay() {
		if (!running) {
			return false;
		}
		relaySignal.wake();
		return true;
	}

	/**
	 * Wakes the relay and every subscriber, and makes the subscribers look even without news
	 * (and read their positions again, should an operator have moved them).
	 */
	void wakeAll() {
		knownHead.set(-1);
		consumers.forEach(SubscriptionConsumer::reload);
		relaySignal.wake();
		publisherSignal.wake();
		consumerSignals.values().forEach(WakeSignal::wake);
	}

	/** The relay published up to {@code head}: wakes the consumers that want one of {@code topics} (null: all). */
	private void announced(long head, Set<Topic> topics) {
		if (head < 0) {
			wakeAll();
			return;
		}
		knownHead.accumulateAndGet(head, Math::max);
		publisherSignal.wake();
		for (SubscriptionConsumer consumer : consumers) {
			if (consumer.wantsAny(topics)) {
				consumerSignals.get(consumer.name()).wake();
			}
		}
	}

	private void relay() {
		Instant lastBacklogCheck = Instant.MIN;
		while (running) {
			try {
				OutboxRelay.Relayed relayed = relay.relayOnce();
				if (relayed.published() > 0) {
					// Local subscribers need not wait for the notification's round trip.
					announced(relayed.head(), relayed.topics());
				}
				Instant now = clock.instant();
				if (now.isAfter(lastBacklogCheck.plusSeconds(5))) {
					relay.refreshBacklog();
					lastBacklogCheck = now;
				}
				if (!relay.fullBatch(relayed)) {
					relaySignal.await(properties.idleWait());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				pauseAfterFailure("relay", ex, relaySignal);
			}
		}
	}

	/** Sends what the relay sequenced on to the broker, woken by the relay (here or, announced, elsewhere). */
	private void publish() {
		try {
			publishWhileRunning();
		}
		finally {
			publisher.close();
		}
	}

	private void publishWhileRunning() {
		while (running) {
			try {
				if (!publisher.publishOnce()) {
					publisherSignal.await(properties.idleWait());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				pauseAfterFailure("log publisher", ex, publisherSignal);
			}
		}
	}

	private void consume(SubscriptionConsumer consumer) {
		try {
			if (consumer.pulls()) {
				pull(consumer);
			}
			else {
				consumeWoken(consumer);
			}
		}
		finally {
			consumer.close();
		}
	}

	/**
	 * A consumer of a broker: waits in the broker's poll (outside any transaction), and does a
	 * round when messages came or a retry of parked ones is due.
	 */
	private void pull(SubscriptionConsumer consumer) {
		WakeSignal signal = consumerSignals.get(consumer.name());
		Instant nextRetryAt = null;
		boolean force = true;
		while (running) {
			try {
				Duration wait = force ? Duration.ZERO : properties.idleWait();
				if (nextRetryAt != null) {
					Duration untilRetry = Duration.between(clock.instant(), nextRetryAt);
					wait = untilRetry.compareTo(wait) < 0 ? untilRetry : wait;
				}
				consumer.fetch(wait.isNegative() ? Duration.ZERO : wait);
				SubscriptionConsumer.Round round = consumer.poll(-1, force);
				force = round.moreWork();
				nextRetryAt = round.nextRetryAt();
			}
			catch (Throwable ex) {
				force = true;
				// What it fetched may be half applied by a round that failed: start again from the stored positions.
				consumer.reload();
				pauseAfterFailure("subscription " + consumer.name(), ex, signal);
			}
		}
	}

	private void consumeWoken(SubscriptionConsumer consumer) {
		WakeSignal signal = consumerSignals.get(consumer.name());
		boolean force = true;
		while (running) {
			try {
				SubscriptionConsumer.Round round = consumer.poll(knownHead.get(), force);
				force = round.moreWork();
				if (!round.moreWork()) {
					Duration wait = properties.idleWait();
					if (round.nextRetryAt() != null) {
						Duration untilRetry = Duration.between(clock.instant(), round.nextRetryAt());
						wait = untilRetry.compareTo(wait) < 0 ? untilRetry : wait;
					}
					// Woken by a notification: look only if it announced something new. Timed out: look anyway.
					force = !signal.await(wait);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				pauseAfterFailure("subscription " + consumer.name(), ex, signal);
			}
		}
	}

	private void pauseAfterFailure(String worker, Throwable ex, WakeSignal signal) {
		if (!running) {
			return;
		}
		boolean noDatabase = DatabaseReachability.isConnectionFailure(ex);
		if (!noDatabase) {
			log.warn("Messaging {} failed; it will try again", worker, ex);
		}
		else {
			// Every worker fails so while the database is away: one line a second, not a stack each.
			long failures = withoutDatabase.occurred();
			if (failures > 0) {
				log.warn("Messaging: {} poll(s) without a database connection in the last second (latest: {}); "
						+ "retrying every second", failures, worker);
			}
		}
		try {
			signal.await(Duration.ofMillis(noDatabase ? 1_000 : 200));
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}
}
