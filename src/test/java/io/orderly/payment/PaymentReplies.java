package io.orderly.payment;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Subscription;

/**
 * Records every reply the payment module publishes, as the saga would receive it. A delivery
 * in a round that rolled back is delivered again with the same message id, so replies are
 * kept by message id: each published reply is recorded once.
 */
public class PaymentReplies {

	private record Reply(long sequence, String subject, Object payload) {
	}

	private final Map<String, Map<UUID, Reply>> bySubject = new ConcurrentHashMap<>();

	Subscription subscription() {
		Subscription.Builder builder = Subscription.named("test.payment-replies");
		for (Class<?> type : List.of(PaymentAuthorized.class, PaymentDeclined.class, PaymentCaptured.class,
				PaymentCaptureFailed.class, PaymentVoided.class, PaymentRefunded.class, PaymentCancellationFailed.class, PaymentPending.class,
				RefundIssued.class, RefundRefused.class)) {
			builder.on(type, this::record);
		}
		return builder.build();
	}

	private void record(Object payload, Message message) {
		bySubject.computeIfAbsent(message.subject(), subject -> new ConcurrentHashMap<>())
			.putIfAbsent(message.id(), new Reply(message.sequence(), message.subject(), payload));
	}

	/** The replies published for the order, in the order they were published. */
	public List<Object> of(String orderId) {
		return bySubject.getOrDefault(orderId, Map.of())
			.values()
			.stream()
			.sorted(Comparator.comparingLong(Reply::sequence))
			.map(Reply::payload)
			.toList();
	}
}
