package io.orderly.notification.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orderly.notification.NotificationFailed;
import io.orderly.notification.NotificationSent;
import io.orderly.platform.AfterCommit;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Foreground;
import io.orderly.platform.Ids;
import io.orderly.platform.messaging.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the queued deliveries: per priority and channel a queue of its own with workers of its
 * own, so marketing piled up never stands in front of a critical message, and a channel held to
 * a slow provider's pace never stands in front of another channel. A round takes the due
 * deliveries of its priority and channel in one short transaction and decides each against the
 * recipient's preferences as they are now (opted out: SUPPRESSED; no contact point: FAILED; in
 * quiet hours and not critical: HELD until they end), leases the rest, commits, calls the
 * providers with no transaction open, and records each answer in a transaction of its own.
 * A transient failure is retried with backoff up to {@code max-attempts}, then the delivery is
 * FAILED with every attempt in its history; a permanent one is recorded at once.
 * <p>Marketing gives way to the API's callers ({@link Foreground}): its rounds wait while the API is
 * busy (at most {@code marketing-yield}, then one goes anyway, so a broadcast still moves under
 * unending load) and stop sending when it becomes busy. Critical and transactional messages never wait.
 */
@Component
@ConditionalOnModule("notification")
class DeliveryWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorkers.class);

	private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final NotificationStore store;

	private final NotificationTemplates templates;

	private final Digests digests;

	private final Recipients recipients;

	private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);

	private final FeedStreams feeds;

	private final Outbox outbox;

	private final TransactionTemplate transactions;

	private final NotificationProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Foreground foreground;

	private final Map<Lane, Semaphore> signals = new HashMap<>();

	private final List<Thread> threads = new ArrayList<>();

	private final Map<String, Long> depth = new ConcurrentHashMap<>();

	private ScheduledExecutorService housekeeping;

	private volatile boolean running;

	DeliveryWorkers(NotificationStore store, NotificationTemplates templates, Digests digests, Recipients recipients,
			List<ChannelSender> senders, ProviderSenders providerSenders, FeedStreams feeds, Outbox outbox,
			TransactionTemplate transactions, NotificationProperties properties, Clock clock, MeterRegistry meters,
			ObjectProvider<Foreground> foreground) {
		this.store = store;
		this.templates = templates;
		this.digests = digests;
		this.recipients = recipients;
		senders.forEach(sender -> this.senders.put(sender.channel(), sender));
		providerSenders.senders().forEach(sender -> this.senders.put(sender.channel(), sender));
		this.feeds = feeds;
		this.outbox = outbox;
		this.transactions = transactions;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.foreground = foreground.getIfAvailable(() -> Foreground.NONE);
		for (Priority priority : Priority.values()) {
			for (Channel channel : Channel.values()) {
				signals.put(new Lane(priority, channel), new Semaphore(0));
			}
			for (String status : List.of("QUEUED", "HELD")) {
				String key = priority + ":" + status;
				Gauge.builder("orderly.notification.queue.depth", depth, d -> d.getOrDefault(key, 0L))
					.tag("priority", priority.name().toLowerCase(java.util.Locale.ROOT))
					.tag("status", status)
					.register(meters);
			}
		}
	}

	/** One queue: the deliveries of a priority on a channel, sent by workers of their own. */
	record Lane(Priority priority, Channel channel) {
	}

	/** Wakes the workers of {@code priority} (of every channel): something is due now. */
	void wake(Priority priority) {
		for (Channel channel : Channel.values()) {
			Semaphore signal = signals.get(new Lane(priority, channel));
			if (signal.availablePermits() == 0) {
				signal.release();
			}
		}
	}

	/** A delivery leased for sending, with the sender and what to send. */
	private record Work(NotificationStore.Claimed delivery, ChannelSender sender, ChannelSender.Outgoing outgoing) {
	}

	/** A delivery tried, and what its provider answered (null for a local channel: sent when recorded). */
	private record Tried(Work work, ChannelSender.Outcome outcome) {
	}

	/**
	 * Does one round for {@code lane}; returns how many deliveries it decided or sent. Providers
	 * are called with no transaction open; the round's answers are then recorded in one
	 * transaction (a local channel, the feed, writes its entries in it), or each in its own if
	 * that one fails. A round stops sending when half its lease has gone (a slow provider), or when
	 * {@code yielding} and the API becomes busy, and gives the rest back, so no leased delivery is
	 * ever taken over while it is still held here.
	 */
	int round(Lane lane, boolean yielding) {
		Instant now = clock.instant();
		List<Work> work = new ArrayList<>();
		Integer decided = transactions.execute(status -> claim(lane, now, work));
		Instant stopAt = now.plus(properties.lease().dividedBy(2));
		List<Tried> tried = new ArrayList<>();
		for (Work item : work) {
			if (!tried.isEmpty() && clock.instant().isAfter(stopAt) || yielding && foreground.busy()) {
				break;
			}
			tried.add(new Tried(item, item.sender().local() ? null : send(item)));
		}
		List<UUID> untried = work.subList(tried.size(), work.size()).stream().map(w -> w.delivery().id()).toList();
		Set<String> fed = new LinkedHashSet<>();
		try {
			transactions.executeWithoutResult(status -> {
				fed.clear();
				recordAll(tried, fed);
				store.release(untried, clock.instant());
			});
		}
		catch (RuntimeException batchFailed) {
			log.warn("Recording a round of {} deliveries failed; recording each on its own", tried.size(), batchFailed);
			fed.clear();
			for (Tried item : tried) {
				try {
					transactions.executeWithoutResult(status -> record(item, fed));
				}
				catch (RuntimeException failed) {
					// Still leased: tried again when the lease runs out.
					log.warn("Delivery {} not recorded", item.work().delivery().id(), failed);
				}
			}
			transactions.executeWithoutResult(status -> store.release(untried, clock.instant()));
		}
		if (!fed.isEmpty()) {
			feeds.signal(fed);
		}
		return decided == null ? 0 : decided;
	}

	/** Records a round's answers: those the providers took in one statement, the others each on its own. */
	private void recordAll(List<Tried> tried, Set<String> fed) {
		List<Tried> taken = tried.stream().filter(item -> item.outcome() instanceof ChannelSender.Sent).toList();
		Instant now = clock.instant();
		Set<UUID> ended = store.sent(taken.stream().map(item -> {
			ChannelSender.Sent sent = (ChannelSender.Sent) item.outcome();
			return new NotificationStore.Sent(item.work().delivery().id(), sent.provider(), sent.messageId());
		}).toList(), now);
		for (Tried item : taken) {
			if (ended.contains(item.work().delivery().id())) {
				ended(item.work().delivery(), "SENT", item.outcome().provider(), null);
			}
		}
		tried.stream().filter(item -> !(item.outcome() instanceof ChannelSender.Sent)).forEach(item -> record(item, fed));
	}

	private void record(Tried item, Set<String> fed) {
		ChannelSender.Outcome outcome = item.outcome() != null ? item.outcome() : send(item.work());
		record(item.work(), outcome);
		if (outcome instanceof ChannelSender.Sent && item.work().delivery().channel() == Channel.IN_APP) {
			fed.add(item.work().delivery().recipient());
		}
	}

	private int claim(Lane lane, Instant now, List<Work> work) {
		List<NotificationStore.Claimed> due = store.lockDue(lane.priority(), lane.channel(), properties.batchSize(), now);
		if (due.isEmpty()) {
			return 0;
		}
		Map<String, Recipients.Preferences> preferences = recipients
			.of(due.stream().map(NotificationStore.Claimed::recipient).toList());
		for (NotificationStore.Claimed delivery : due) {
			Recipients.Preferences recipient = preferences.get(delivery.recipient());
			Priority.Category category = delivery.priority().category();
			if (recipient.optedOut(delivery.channel(), category)) {
				end(delivery, "SUPPRESSED", null, "opted out of " + delivery.channel().wire() + " for "
						+ category.name().toLowerCase(java.util.Locale.ROOT), now);
				continue;
			}
			Optional<String> address = recipient.address(delivery.channel());
			ChannelSender sender = senders.get(delivery.channel());
			if (address.isEmpty() || sender == null) {
				end(delivery, "FAILED", null, address.isEmpty() ? "no_recipient: no " + delivery.channel().wire()
						+ " contact point" : "no provider for " + delivery.channel().wire(), now);
				continue;
			}
			Optional<Instant> quiet = delivery.priority() == Priority.CRITICAL || recipient.quietHours() == null
					? Optional.empty() : recipient.quietHours().heldUntil(now, recipient.timeZone());
			if (quiet.isPresent()) {
				store.hold(delivery, quiet.get(), "quiet hours until "
						+ LOCAL.format(ZonedDateTime.ofInstant(quiet.get(), recipient.timeZone())) + " "
						+ recipient.timeZone().getId(), now);
				continue;
			}
			if (digests.collected(delivery, now)) {
				continue;
			}
			work.add(new Work(delivery, sender, new ChannelSender.Outgoing(delivery.id(), delivery.recipient(),
					address.get(), delivery.subject(), delivery.body(), delivery.html(), delivery.pinnedProvider())));
		}
		store.lease(work.stream().map(w -> w.delivery().id()).toList(), now.plus(properties.lease()), now);
		return due.size();
	}

	private ChannelSender.Outcome send(Work item) {
		Timer.Sample sample = Timer.start(meters);
		ChannelSender.Outcome outcome;
		try {
			outcome = item.sender().send(item.outgoing());
		}
		catch (RuntimeException ex) {
			outcome = new ChannelSender.Failed(item.delivery().channel().wire(), ex.getClass().getSimpleName() + ": "
					+ ex.getMessage());
		}
		sample.stop(Timer.builder("orderly.notification.send")
			.tag("channel", item.delivery().channel().wire())
			.tag("provider", outcome.provider())
			.tag("outcome", outcome.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT))
			.register(meters));
		return outcome;
	}

	private void record(Work item, ChannelSender.Outcome outcome) {
		NotificationStore.Claimed delivery = item.delivery();
		Instant now = clock.instant();
		int attempt = delivery.attempts() + 1;
		switch (outcome) {
			case ChannelSender.Sent sent -> end(delivery, "SENT", sent.provider(), sent.messageId(), null, now);
			case ChannelSender.Rejected rejected -> end(delivery, "FAILED", rejected.provider(), null,
					"rejected by " + rejected.provider() + ": " + rejected.reason(), now);
			// A critical e-mail does not wait out its servers' outage: it spends its attempts, then goes by SMS.
			// (Turned away by our own bulkhead or rate limit, it waits like any other.)
			case ChannelSender.Deferred deferred when deferred.down() && delivery.priority() == Priority.CRITICAL
					&& delivery.channel() == Channel.EMAIL -> record(item, new ChannelSender.Failed(deferred.provider(),
							deferred.reason()));
			case ChannelSender.Deferred deferred -> store.defer(delivery.id(), now.plus(properties.idleWait()), now);
			case ChannelSender.Failed failed when attempt >= properties.maxAttempts() -> {
				end(delivery, "FAILED", failed.provider(), null,
						"gave up after " + attempt + " attempts; last: " + failed.reason(), now);
				fallBack(delivery, now);
			}
			case ChannelSender.Failed failed -> {
				Instant next = now.plus(properties.retryAfter().multipliedBy(1L << Math.min(attempt - 1, 20)));
				store.retryAt(delivery.id(), next, failed.provider(), failed.maybeSent() ? failed.provider() : null,
						"attempt " + attempt + " failed: " + failed.reason()
								+ (failed.maybeSent() ? " (it may have arrived: asked again of " + failed.provider() + " only)" : "")
								+ "; next at " + next, now);
			}
		}
	}

	/**
	 * A critical message that e-mail could not carry goes by SMS, once (the notification's one SMS
	 * delivery); other messages do not fall back.
	 */
	private void fallBack(NotificationStore.Claimed delivery, Instant now) {
		if (delivery.priority() != Priority.CRITICAL || delivery.channel() != Channel.EMAIL) {
			return;
		}
		NotificationStore.Source source = store.source(delivery.notificationId());
		NotificationTemplates.Rendered rendered = templates.render(templates.definition(source.template()),
				source.version(), source.locale(), JSON.readValue(source.data(), MAP));
		if (store.queueIfAbsent(Ids.next(), delivery.notificationId(), Channel.SMS, delivery.priority(),
				rendered.subject(), rendered.shortText(), "fallback: e-mail failed", now)) {
			AfterCommit.run(() -> wake(delivery.priority()));
		}
	}

	private void end(NotificationStore.Claimed delivery, String status, String provider, String detail, Instant now) {
		end(delivery, status, provider, null, detail, now);
	}

	/** Ends a delivery if it is still open. */
	private void end(NotificationStore.Claimed delivery, String status, String provider, String messageId,
			String detail, Instant now) {
		if (store.finish(delivery.id(), status, provider, messageId, detail, now)) {
			ended(delivery, status, provider, detail);
		}
	}

	/** A delivery ended: its order's subscribers are told (when it is about an order) and it is counted. */
	private void ended(NotificationStore.Claimed delivery, String status, String provider, String detail) {
		if (delivery.orderId() != null) {
			switch (status) {
				case "SENT" -> outbox.publish(delivery.orderId(),
						new NotificationSent(delivery.orderId(), delivery.id().toString(), delivery.channel().name()));
				case "FAILED" -> outbox.publish(delivery.orderId(), new NotificationFailed(delivery.orderId(),
						detail == null ? "failed" : reasonCode(detail)));
				default -> {
				}
			}
		}
		Counter.builder("orderly.notification.deliveries")
			.tag("channel", delivery.channel().wire())
			.tag("provider", provider == null ? "none" : provider)
			.tag("status", status)
			.register(meters)
			.increment();
	}

	/** The short code at the head of a failure's detail ({@code no_recipient: ...} is {@code no_recipient}). */
	private static String reasonCode(String detail) {
		String head = detail.startsWith("rejected by ") ? detail.substring(detail.indexOf(": ") + 2) : detail;
		int colon = head.indexOf(':');
		return (colon > 0 ? head.substring(0, colon) : head).strip();
	}

	private void loop(Lane lane) {
		Semaphore signal = signals.get(lane);
		while (running) {
			try {
				boolean yielding = lane.priority() == Priority.MARKETING && !properties.marketingYield().isZero();
				if (yielding && !foreground.awaitCalm(properties.marketingYield())) {
					if (!running) {
						return;
					}
					// Busy all this time: one round goes anyway, to its end.
					yielding = false;
				}
				if (round(lane, yielding) == 0) {
					signal.tryAcquire(properties.idleWait().toMillis(), TimeUnit.MILLISECONDS);
					signal.drainPermits();
				}
			}
			catch (InterruptedException stopping) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("A {} notification round failed; trying again shortly", lane, ex);
				try {
					signal.tryAcquire(properties.idleWait().toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException stopping) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/** Sends the digests whose window ended and wakes the workers of what they queued. */
	private void composeDigests() {
		try {
			Instant now = clock.instant();
			List<Priority> queued = transactions.execute(status -> digests.compose(now));
			queued.forEach(this::wake);
		}
		catch (RuntimeException ex) {
			log.warn("Digests not composed; trying again shortly", ex);
		}
	}

	private void refreshDepth() {
		try {
			Map<String, Long> now = store.depth();
			depth.keySet().retainAll(now.keySet());
			depth.putAll(now);
		}
		catch (RuntimeException unavailable) {
			log.debug("Notification queue depth not read", unavailable);
		}
	}

	@Override
	public synchronized void start() {
		if (running) {
			return;
		}
		running = true;
		for (Lane lane : signals.keySet()) {
			for (int i = 0; i < properties.workers(lane.priority()); i++) {
				threads.add(Thread.ofPlatform()
					.name("orderly-notify-" + lane.priority().name().toLowerCase(java.util.Locale.ROOT) + "-"
							+ lane.channel().wire() + "-" + i)
					.daemon()
					.start(() -> loop(lane)));
			}
		}
		housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("orderly-notify-housekeeping").daemon().factory());
		housekeeping.scheduleWithFixedDelay(this::refreshDepth, 0, 5, TimeUnit.SECONDS);
		housekeeping.scheduleWithFixedDelay(this::composeDigests, 0, properties.idleWait().toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		running = false;
		if (housekeeping != null) {
			housekeeping.shutdownNow();
		}
		threads.forEach(Thread::interrupt);
		for (Thread thread : threads) {
			try {
				thread.join(Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		threads.clear();
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}
