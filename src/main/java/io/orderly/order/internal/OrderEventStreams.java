package io.orderly.order.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Live order status: a server-sent event stream per order. Each saga history entry is a
 * {@code progress} event whose id is the entry's (ids grow, so {@code Last-Event-ID} resumes
 * after the last one seen); a {@code status} event carries the whole order whenever its status,
 * progress or reason changes, and once on every connection. The stream ends once the checkout
 * has ended (the order {@code CONFIRMED} or {@code CANCELLED}), or after {@code max-duration}
 * (the client reconnects with {@code Last-Event-ID}).
 *
 * <p>A stream catches up when its saga moves ({@link SagaProgress}: at once on this instance,
 * by a coalesced NOTIFY from the others) and every {@code recheck} in case a signal was lost.
 * Catching up reads what changed; it never holds a connection while it writes to the client.
 */
@Component
@ConditionalOnModule("order")
public class OrderEventStreams implements SagaProgress.Listener, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(OrderEventStreams.class);

	private final OrderManagement orders;

	private final Sagas sagas;

	private final Duration maxDuration;

	private final Map<String, Set<Stream>> streams = new ConcurrentHashMap<>();

	private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
			Thread.ofPlatform().name("orderly-order-streams").daemon().factory());

	OrderEventStreams(OrderManagement orders, Sagas sagas, SagaProgress progress,
			@Value("${orderly.order.events.recheck:5s}") Duration recheck,
			@Value("${orderly.order.events.max-duration:5m}") Duration maxDuration) {
		this.orders = orders;
		this.sagas = sagas;
		this.maxDuration = maxDuration;
		progress.listen(this);
		ticker.scheduleWithFixedDelay(this::mayHaveMissed, recheck.toMillis(), recheck.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** What a {@code progress} event carries. */
	public record Progress(String orderId, SagaHistoryEntry entry) {
	}

	/** Opens the stream of order {@code orderId} (the caller may see it), after entry {@code lastEventId} (0: all). */
	public SseEmitter open(String orderId, long lastEventId) {
		SseEmitter emitter = new SseEmitter(maxDuration.toMillis());
		Stream stream = new Stream(orderId, emitter, lastEventId);
		streams.compute(orderId, (id, following) -> {
			Set<Stream> set = following != null ? following : ConcurrentHashMap.newKeySet();
			set.add(stream);
			return set;
		});
		emitter.onCompletion(stream::close);
		emitter.onTimeout(stream::close);
		emitter.onError(error -> stream.close());
		workers.execute(stream::catchUp);
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
			following.forEach(stream -> workers.execute(stream::catchUp));
		}
	}

	@Override
	public void mayHaveMissed() {
		streams.values().forEach(set -> set.forEach(stream -> workers.execute(stream::catchUp)));
	}

	@Override
	public void destroy() {
		ticker.shutdownNow();
		streams.values().forEach(set -> set.forEach(stream -> stream.emitter.complete()));
		workers.shutdownNow();
	}

	private static boolean checkoutEnded(OrderStatus status) {
		return status == OrderStatus.CONFIRMED || status == OrderStatus.CANCELLED;
	}

	private final class Stream {

		private final String orderId;

		private final SseEmitter emitter;

		private long lastId;

		private String lastState;

		private boolean closed;

		Stream(String orderId, SseEmitter emitter, long lastEventId) {
			this.orderId = orderId;
			this.emitter = emitter;
			this.lastId = lastEventId;
		}

		synchronized void catchUp() {
			if (closed) {
				return;
			}
			try {
				for (NumberedHistoryEntry entry : sagas.historyAfter(orderId, lastId)) {
					emitter.send(SseEmitter.event()
						.id(Long.toString(entry.id()))
						.name("progress")
						.data(new Progress(orderId, entry.entry()), MediaType.APPLICATION_JSON));
					lastId = entry.id();
				}
				OrderView order = orders.find(orderId).orElse(null);
				if (order == null) {
					finish();
					return;
				}
				String state = order.status() + "|" + order.progress() + "|" + order.cancellationReason();
				if (!Objects.equals(state, lastState)) {
					emitter.send(SseEmitter.event().id(Long.toString(lastId)).name("status").data(order, MediaType.APPLICATION_JSON));
					lastState = state;
				}
				if (checkoutEnded(order.status())) {
					finish();
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

		private void finish() {
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
