package io.orderly.notification;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Subscription;
import org.awaitility.Awaitility;

/** A subscriber to the notification module's events, by subject (the order id), in order. */
class NotificationReplies {

	private final Map<String, List<Object>> bySubject = new ConcurrentHashMap<>();

	Subscription subscription() {
		return Subscription.named("test.notification-events")
			.on(NotificationSent.class, this::record)
			.on(NotificationFailed.class, this::record)
			.build();
	}

	private void record(Object payload, Message message) {
		bySubject.computeIfAbsent(message.subject(), subject -> new CopyOnWriteArrayList<>()).add(payload);
	}

	List<Object> of(String orderId) {
		return List.copyOf(bySubject.getOrDefault(orderId, List.of()));
	}

	/** Waits until the order has at least {@code count} events; returns them all, in order. */
	List<Object> await(String orderId, int count) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> of(orderId), events -> events.size() >= count);
	}
}
