package io.orderly.shipping;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Subscription;
import org.awaitility.Awaitility;

/**
 * A subscriber to everything the shipping module publishes, the way the checkout saga hears
 * it: by subject (the order id), in order.
 */
class ShippingReplies {

	private final Map<String, List<Object>> bySubject = new ConcurrentHashMap<>();

	Subscription subscription() {
		return Subscription.named("test.shipping-replies")
			.on(ShipmentCreated.class, this::record)
			.on(ShipmentCreationFailed.class, this::record)
			.on(ShipmentCancelled.class, this::record)
			.on(ShipmentCancellationFailed.class, this::record)
			.on(ShipmentDispatched.class, this::record)
			.build();
	}

	private void record(Object payload, Message message) {
		bySubject.computeIfAbsent(message.subject(), subject -> new CopyOnWriteArrayList<>()).add(payload);
	}

	List<Object> of(String orderId) {
		return List.copyOf(bySubject.getOrDefault(orderId, List.of()));
	}

	/** Waits until the order has at least {@code count} messages; returns them all, in order. */
	List<Object> await(String orderId, int count) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> of(orderId), messages -> messages.size() >= count);
	}

	/** Waits for the order's {@code count}-th message. */
	Object awaitNth(String orderId, int count) {
		return await(orderId, count).get(count - 1);
	}
}
