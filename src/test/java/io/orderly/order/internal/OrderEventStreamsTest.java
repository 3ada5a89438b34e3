package io.orderly.order.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.orderly.order.OrderStatus;
import io.orderly.order.OrderView;
import io.orderly.platform.saga.NumberedHistoryEntry;
import io.orderly.platform.saga.SagaHistoryEntry;
import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream's catch-up against reads that change between its two reads, as the database does
 * when the checkout commits its last step in between.
 */
class OrderEventStreamsTest {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private final List<NumberedHistoryEntry> history = new CopyOnWriteArrayList<>();

	private final AtomicReference<OrderStatus> status = new AtomicReference<>(OrderStatus.PENDING);

	/** The checkout's last step commits right after the next read, whichever a catch-up makes first. */
	private final AtomicBoolean commitAfterNextRead = new AtomicBoolean();

	private final OrderEventStreams streams = new OrderEventStreams(new OrderEventStreams.Reads() {
		@Override
		public Optional<OrderView> order(String orderId) {
			OrderView seen = order(orderId, status.get());
			committedAfterThisRead();
			return Optional.of(seen);
		}

		private OrderView order(String orderId, OrderStatus status) {
			return new OrderView(orderId, "alice", status, List.of(), 100, "EUR", null, null, null, "done", null,
					null, 0, List.of(), List.of(), Instant.EPOCH, Instant.EPOCH);
		}

		@Override
		public List<NumberedHistoryEntry> historyAfter(String orderId, long afterId) {
			List<NumberedHistoryEntry> seen = history.stream().filter(entry -> entry.id() > afterId).toList();
			committedAfterThisRead();
			return seen;
		}
	}, Duration.ofHours(1), Duration.ofMinutes(5));

	@Test
	void theLastEntriesOfACheckoutThatEndsDuringACatchUpAreSentBeforeTheStreamEnds() {
		streams.start();
		entry(1, "STARTED");
		Recording client = new Recording();
		streams.follow(client, "o-1", 0);
		await().atMost(DEADLINE).until(() -> client.events().contains("progress:1") && client.events().contains("status:PENDING"));

		// The checkout's last step commits between the two reads of the next catch-up, and signals.
		commitAfterNextRead.set(true);
		streams.moved("o-1");
		await().atMost(DEADLINE).until(client::completed);

		assertThat(client.events()).as("every entry the checkout wrote, then the final status")
			.containsExactly("progress:1", "status:PENDING", "progress:2", "progress:3", "status:CONFIRMED");
	}

	@Test
	void everyCatchUpAskedForRunsOneAtATimeAndNoneIsLost() {
		streams.start();
		Recording client = new Recording();
		streams.follow(client, "o-2", 0);
		for (int i = 1; i <= 200; i++) {
			entry(i, "REPLY");
			streams.moved("o-2");
		}
		await().atMost(DEADLINE).until(() -> client.events().contains("progress:200"));

		List<String> progress = client.events().stream().filter(e -> e.startsWith("progress:")).toList();
		assertThat(progress).as("each entry once, in order").hasSize(200).doesNotHaveDuplicates();
		assertThat(client.overlapping).as("two catch-ups of one stream at once").isFalse();
	}

	@Test
	void stoppingEndsEveryOpenStream() {
		streams.start();
		Recording client = new Recording();
		streams.follow(client, "o-3", 0);
		await().atMost(DEADLINE).until(() -> streams.open() == 1);

		streams.stop();

		assertThat(client.completed()).isTrue();
		assertThat(streams.open()).isZero();
		Recording late = new Recording();
		streams.follow(late, "o-3", 0);
		assertThat(late.completed()).as("a stream opened while stopping ends at once").isTrue();
	}

	private void entry(long id, String kind) {
		history.add(new NumberedHistoryEntry(id, new SagaHistoryEntry(Instant.EPOCH, kind, "step", null)));
	}

	private void committedAfterThisRead() {
		if (commitAfterNextRead.compareAndSet(true, false)) {
			confirm();
			streams.moved("o-1"); // as the commit does
		}
	}

	private void confirm() {
		entry(2, "REPLY");
		entry(3, "COMPLETED");
		status.set(OrderStatus.CONFIRMED);
	}

	/** A client: what was sent to it, as {@code name:id} for progress and {@code status:STATUS}. */
	private static final class Recording extends SseEmitter {

		private final List<String> events = new CopyOnWriteArrayList<>();

		private final AtomicBoolean sending = new AtomicBoolean();

		private volatile boolean overlapping;

		private volatile boolean done;

		@Override
		public void send(SseEventBuilder builder) {
			if (!sending.compareAndSet(false, true)) {
				overlapping = true;
			}
			try {
				String text = builder.build().stream().map(part -> String.valueOf(part.getData())).collect(Collectors.joining());
				if (text.contains("event:progress")) {
					events.add("progress:" + text.replaceAll("(?s).*id:(\\d+).*", "$1"));
				}
				else if (text.contains("event:status")) {
					events.add("status:" + text.replaceAll("(?s).*status=([A-Z]+).*", "$1"));
				}
			}
			finally {
				sending.set(false);
			}
		}

		@Override
		public void complete() {
			done = true;
		}

		boolean completed() {
			return done;
		}

		List<String> events() {
			return events;
		}
	}
}
