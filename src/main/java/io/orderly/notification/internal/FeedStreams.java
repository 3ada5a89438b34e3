package io.orderly.notification.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Notifications;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Customers' feeds pushed live as server-sent events. A worker that wrote entries signals the
 * customers over PostgreSQL (after its commit, one signal per batch), so a client connected to
 * any instance hears of them; each open stream then reads what is new for its customer. Every
 * {@code recheck} the streams look anyway (a signal missed while listening restarted), with a
 * comment line that keeps proxies from closing them.
 */
@Component
@ConditionalOnModule("notification")
class FeedStreams implements SmartLifecycle, Notifications.Listener {

	static final String CHANNEL = "notification_feed";

	private final InAppFeed feed;

	private final Notifications signals;

	private final Clock clock;

	private final Duration recheck;

	private final Duration maxDuration;

	private final Map<String, Set<Stream>> streams = new ConcurrentHashMap<>();

	private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

	private ScheduledExecutorService ticker;

	private volatile boolean running;

	FeedStreams(InAppFeed feed, Notifications signals, Clock clock,
			@Value("${orderly.notification.feed.recheck:15s}") Duration recheck,
			@Value("${orderly.notification.feed.max-duration:30m}") Duration maxDuration) {
		this.feed = feed;
		this.signals = signals;
		this.clock = clock;
		this.recheck = recheck;
		this.maxDuration = maxDuration;
		signals.listen(CHANNEL, this);
	}

	/** Opens a stream of the customer's new entries: those after entry ({@code since}, {@code sinceId}), or from now. */
	SseEmitter open(String customerId, Instant since, UUID sinceId) {
		SseEmitter emitter = new SseEmitter(maxDuration.toMillis());
		Stream stream = since != null ? new Stream(customerId, emitter, since, sinceId)
				: new Stream(customerId, emitter, clock.instant(), new UUID(0, 0));
		streams.computeIfAbsent(customerId, id -> ConcurrentHashMap.newKeySet()).add(stream);
		if (!running) {
			stream.finish();
			return emitter;
		}
		emitter.onCompletion(stream::close);
		emitter.onTimeout(stream::finish);
		emitter.onError(error -> stream.close());
		try {
			emitter.send(SseEmitter.event().name("unread").data(Map.of("unread", feed.unread(customerId)),
					MediaType.APPLICATION_JSON));
		}
		catch (IOException gone) {
			stream.close();
		}
		stream.catchUpSoon();
		return emitter;
	}

	/** Tells every instance that these customers have new entries; call it outside any transaction. */
	void signal(Set<String> customerIds) {
		StringBuilder payload = new StringBuilder();
		for (String id : customerIds) {
			if (payload.length() + id.length() + 1 > 7_000) {
				signals.send(CHANNEL, payload.toString());
				payload.setLength(0);
			}
			payload.append(payload.isEmpty() ? "" : "\n").append(id);
		}
		if (!payload.isEmpty()) {
			signals.send(CHANNEL, payload.toString());
		}
	}

	@Override
	public void on(String payload) {
		for (String customerId : payload.split("\n")) {
			streams.getOrDefault(customerId, Set.of()).forEach(Stream::catchUpSoon);
		}
	}

	@Override
	public void listeningRestarted() {
		streams.values().forEach(set -> set.forEach(Stream::catchUpSoon));
	}

	@Override
	public synchronized void start() {
		if (!running) {
			ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("orderly-feed-streams").daemon().factory());
			ticker.scheduleWithFixedDelay(this::recheck, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
			running = true;
		}
	}

	private void recheck() {
		streams.values().forEach(set -> set.forEach(stream -> {
			stream.heartbeat();
			stream.catchUpSoon();
		}));
	}

	@Override
	public synchronized void stop() {
		running = false;
		if (ticker != null) {
			ticker.shutdownNow();
		}
		streams.values().forEach(set -> set.forEach(Stream::finish));
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		// Stops before the web server's graceful shutdown, which would otherwise wait for open streams.
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

	private final class Stream {

		private final String customerId;

		private final SseEmitter emitter;

		private final AtomicBoolean scheduled = new AtomicBoolean();

		private volatile Instant after;

		private volatile UUID afterId;

		private volatile boolean heartbeatDue;

		Stream(String customerId, SseEmitter emitter, Instant after, UUID afterId) {
			this.customerId = customerId;
			this.emitter = emitter;
			this.after = after;
			this.afterId = afterId;
		}

		void heartbeat() {
			heartbeatDue = true;
		}

		/** Reads and sends what is new on a worker of its own, once at a time per stream. */
		void catchUpSoon() {
			if (scheduled.compareAndSet(false, true)) {
				workers.execute(this::catchUp);
			}
		}

		private synchronized void catchUp() {
			scheduled.set(false);
			try {
				List<InAppFeed.Entry> entries = feed.since(customerId, after, afterId);
				for (InAppFeed.Entry entry : entries) {
					emitter.send(SseEmitter.event().id(entry.id()).name("notification").data(entry,
							MediaType.APPLICATION_JSON));
					after = entry.createdAt();
					afterId = UUID.fromString(entry.id());
				}
				if (heartbeatDue) {
					heartbeatDue = false;
					emitter.send(SseEmitter.event().comment(""));
				}
			}
			catch (IOException | IllegalStateException gone) {
				close();
			}
			catch (RuntimeException unavailable) {
				// The database is away for a moment: the next signal or recheck tries again.
				heartbeatDue = true;
			}
		}

		void finish() {
			close();
			emitter.complete();
		}

		void close() {
			streams.computeIfPresent(customerId, (id, set) -> {
				set.remove(this);
				return set.isEmpty() ? null : set;
			});
		}
	}
}
