package io.orderly.order.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.order.OrderManagement;
import io.orderly.order.OrderStatus;
import io.orderly.order.OrderView;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.saga.NumberedHistoryEntry;
import io.orderly.platform.saga.SagaHistoryEntry;
import io.orderly.platform.saga.SagaProgress;
import io.orderly.platform.saga.Sagas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live order status: a server-sent event stream per order. Each saga history entry is a
 * {@code progress} event whose id is the entry's (ids grow, so {@code Last-Event-ID} resumes
 * after the last one seen); a {@code status} event carries the whole order whenever its status,
 * progress or reason changes, and once on every connection. The stream ends once the checkout
 * has ended (the order {@code CONFIRMED} or {@code CANCELLED}), or after {@code max-duration}
 * (the client reconnects with {@code Last-Event-ID}), or when this instance stops (before its
 * graceful shutdown waits for requests, so that open streams do not hold it up).
 *
 * <p>A stream catches up when its saga moves ({@link SagaProgress}: at once on this instance,
 * by a coalesced NOTIFY from the others) and every {@code recheck} in case a signal was lost (a
 * recheck that finds nothing new sends a comment, so a client that went away is noticed). One
 * catch-up at a time per stream, however many signals arrive: signals during one make one more.
 * Catching up reads the order, then its history, so the history read after the order was seen
 * final holds every entry the checkout wrote; it never holds a connection while it writes to
 * the client.
 */
@Component
@ConditionalOnModule("order")
public class OrderEventStreams implements SagaProgress.Listener, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OrderEventStreams.class);

	/** What a stream reads: the order, and its saga's history after an entry. */
	interface Reads {

		Optional<OrderView> order(String orderId);

		List<NumberedHistoryEntry> historyAfter(String orderId, long afterId);
	}

	private final Reads reads;

	private final Duration maxDuration;

	private final Duration recheck;

	private final Map<String, Set<Stream>> streams = new ConcurrentHashMap<>();

	private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

	private ScheduledExecutorService ticker;

	private volatile boolean running;

	@Autowired
	OrderEventStreams(OrderManagement orders, Sagas sagas, SagaProgress progress,
			@Value("${orderly.order.events.recheck:5s}") Duration recheck,
			@Value("${orderly.order.events.max-duration:5m}") Duration maxDuration) {
		this(new Reads() {
			@Override
			public Optional<OrderView> order(String orderId) {
				return orders.find(orderId);
			}

			@Override
			public List<NumberedHistoryEntry> historyAfter(String orderId, long afterId) {
				return sagas.historyAfter(orderId, afterId);
			}
		}, recheck, maxDuration);
		progress.listen(this);
	}

	OrderEventStreams(Reads reads, Duration recheck, Duration maxDuration) {
		this.reads = reads;
		this.maxDuration = maxDuration;
		this.recheck = recheck;
	}

	/** What a {@code progress} event carries. */
	public record Progress(String orderId, SagaHistoryEntry entry) {
	}

	/** Opens the stream of order {@code orderId} (the caller may see it), after entry {@code lastEventId} (0: all). */
	public SseEmitter open(String orderId, long lastEventId) {
		return open(orderId, lastEventId, false);
	}

	/**
	 * With {@code afterCheckout}, the stream follows a confirmed order on: it ends once the order
	 * is delivered with no refund or return open (or cancelled), and its status event changes with
	 * dispatchedAt, deliveredAt, refundedMinor, returns and refunds too.
	 */
	public SseEmitter open(String orderId, long lastEventId, boolean afterCheckout) {
		return follow(new SseEmitter(maxDuration.toMillis()), orderId, lastEventId, afterCheckout);
	}

	SseEmitter follow(SseEmitter emitter, String orderId, long lastEventId) {
		return follow(emitter, orderId, lastEventId, false);
	}

	SseEmitter follow(SseEmitter emitter, String orderId, long lastEventId, boolean afterCheckout) {
		Stream stream = new Stream(orderId, emitter, lastEventId, afterCheckout);
		streams.compute(orderId, (id, following) -> {
			Set<Stream> set = following != null ? following : ConcurrentHashMap.newKeySet();
			set.add(stream);
			return set;
		});
		if (!running) {
			// Stopping (stop() may not have seen this stream): the client reconnects, to another instance.
			stream.finish();
			return emitter;
		}
		emitter.onCompletion(stream::close);
		emitter.onTimeout(stream::finish);
		emitter.onError(error -> stream.close());
		stream.catchUpSoon(false);
		return emitter;
	}

	/** Open streams (a gauge for operators, and for tests). */
	public int open() {
		return streams.values().stream().mapToInt(Set::size).sum();
	}

	@Override
	public void moved(String sagaId) {
		Set<Stream> following = streams.get(sagaId);
		if (following != null) {
			following.forEach(stream -> stream.catchUpSoon(false));
		}
	}

	@Override
	public void mayHaveMissed() {
		streams.values().forEach(set -> set.forEach(stream -> stream.catchUpSoon(false)));
	}

	private void recheck() {
		streams.values().forEach(set -> set.forEach(stream -> stream.catchUpSoon(true)));
	}

	@Override
	public synchronized void start() {
		if (!running) {
			ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("orderly-order-streams").daemon().factory());
			ticker.scheduleWithFixedDelay(this::recheck, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
			running = true;
		}
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

	private static boolean checkoutEnded(OrderStatus status) {
		return status == OrderStatus.CONFIRMED || status == OrderStatus.CANCELLED;
	}

	/** Nothing more to follow after checkout: cancelled, or delivered with no refund or return open. */
	private static boolean lifeSettled(OrderView order) {
		return order.status() == OrderStatus.CANCELLED || order.status() == OrderStatus.CONFIRMED
				&& order.deliveredAt() != null
				&& order.refunds().stream().noneMatch(refund -> "REQUESTED".equals(refund.status()))
				&& order.returns().stream().noneMatch(open -> "REQUESTED".equals(open.status()));
	}

	/** What makes a new status event: the status, progress and reason; after checkout also what followed it. */
	private static String stateOf(OrderView order, boolean afterCheckout) {
		String state = order.status() + "|" + order.progress() + "|" + order.cancellationReason();
		if (afterCheckout) {
			state += "|" + order.dispatchedAt() + "|" + order.deliveredAt() + "|" + order.refundedMinor() + "|"
					+ order.refunds().stream().map(refund -> refund.id() + refund.status()).toList() + "|"
					+ order.returns().stream().map(open -> open.id() + open.status()).toList() + "|"
					+ order.shippingAddress() + "|" + order.items().size();
		}
		return state;
	}

	private final class Stream {

		private final String orderId;

		private final SseEmitter emitter;

		private final boolean afterCheckout;

		/** Catch-ups asked for and not yet begun; the one who makes it leave zero runs them. */
		private final AtomicInteger asked = new AtomicInteger();

		private volatile boolean heartbeatDue;

		private volatile boolean closed;

		// Touched by one catch-up at a time.
		private long lastId;

		private String lastState;

		Stream(String orderId, SseEmitter emitter, long lastEventId, boolean afterCheckout) {
			this.orderId = orderId;
			this.emitter = emitter;
			this.afterCheckout = afterCheckout;
			this.lastId = lastEventId;
		}

		void catchUpSoon(boolean heartbeat) {
			if (heartbeat) {
				heartbeatDue = true;
			}
			if (asked.getAndIncrement() == 0) {
				try {
					workers.execute(this::catchUpWhileAsked);
				}
				catch (RejectedExecutionException ex) {
					close(); // stopping
				}
			}
		}

		private void catchUpWhileAsked() {
			int taken;
			do {
				taken = asked.get();
				catchUp();
			}
			while (asked.addAndGet(-taken) > 0);
		}

		private void catchUp() {
			if (closed) {
				return;
			}
			try {
				// The order first: a history read after it was seen final holds the checkout's last entries.
				OrderView order = reads.order(orderId).orElse(null);
				List<NumberedHistoryEntry> entries = reads.historyAfter(orderId, lastId);
				boolean sent = false;
				for (NumberedHistoryEntry entry : entries) {
					emitter.send(SseEmitter.event()
						.id(Long.toString(entry.id()))
						.name("progress")
						.data(new Progress(orderId, entry.entry()), MediaType.APPLICATION_JSON));
					lastId = entry.id();
					sent = true;
				}
				if (order == null) {
					finish();
					return;
				}
				String state = stateOf(order, afterCheckout);
				if (!Objects.equals(state, lastState)) {
					emitter.send(SseEmitter.event().id(Long.toString(lastId)).name("status").data(order, MediaType.APPLICATION_JSON));
					lastState = state;
					sent = true;
				}
				if (afterCheckout ? lifeSettled(order) : checkoutEnded(order.status())) {
					finish();
					return;
				}
				if (heartbeatDue) {
					heartbeatDue = false;
					if (!sent) {
						emitter.send(SseEmitter.event().comment(""));
					}
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The client went away (or the emitter ended): nothing more to send.
				close();
			}
			catch (RuntimeException ex) {
				// The database is away: the next signal or recheck tries again.
				log.debug("Order stream {} could not catch up", orderId, ex);
			}
		}

		void finish() {
			close();
			emitter.complete();
		}

		void close() {
			closed = true;
			streams.computeIfPresent(orderId, (id, following) -> {
				following.remove(this);
				return following.isEmpty() ? null : following;
			});
		}
	}
}
