package io.orderly.notification.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.notification.EmailSender;
import io.orderly.notification.NotificationFailed;
import io.orderly.notification.NotificationSent;
import io.orderly.order.OrderCancellationRejected;
import io.orderly.order.OrderCancelled;
import io.orderly.order.OrderConfirmed;
import io.orderly.order.OrderRefunded;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Ids;
import io.orderly.platform.messaging.Outbox;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells customers what happened to their orders. Runs in the notification subscription's
 * transaction: renders the event's template, records the delivery, hands the email to the
 * {@link EmailSender} and publishes {@link NotificationSent} or {@link NotificationFailed}.
 * One notification per order and event type, however often the event arrives.
 */
@Component
@ConditionalOnModule("notification")
public class NotificationManagement {

	static final String EMAIL = "EMAIL";

	static final String NO_RECIPIENT = "no_recipient";

	private final Deliveries deliveries;

	private final EmailSender email;

	private final Outbox outbox;

	private final Clock clock;

	private final Counter sent;

	private final Counter failed;

	NotificationManagement(Deliveries deliveries, EmailSender email, Outbox outbox, Clock clock, MeterRegistry meters) {
		this.deliveries = deliveries;
		this.email = email;
		this.outbox = outbox;
		this.clock = clock;
		this.sent = Counter.builder("orderly.notification.deliveries").tag("status", "SENT").register(meters);
		this.failed = Counter.builder("orderly.notification.deliveries").tag("status", "FAILED").register(meters);
	}

	void on(OrderConfirmed event) {
		deliver(NotificationTemplate.ORDER_CONFIRMED, event.orderId(), event.customerId(), Map.of("amount",
				NotificationTemplate.amount(event.totalMinor(), event.currency())));
	}

	void on(OrderCancelled event) {
		deliver(NotificationTemplate.ORDER_CANCELLED, event.orderId(), event.customerId(),
				Map.of("reason", NotificationTemplate.reason(event.reason())));
	}

	void on(OrderCancellationRejected event) {
		deliver(NotificationTemplate.CANCELLATION_REJECTED, event.orderId(), event.customerId(),
				Map.of("reason", NotificationTemplate.reason(event.reason())));
	}

	/** One message per refund (the refund's id keeps two refunds of an order apart). */
	void on(OrderRefunded event) {
		deliver(NotificationTemplate.ORDER_REFUNDED, event.orderId(), event.customerId(),
				Map.of("amount", NotificationTemplate.amount(event.amountMinor(), event.currency()), "reason",
						event.reason() == null ? "refund" : event.reason()),
				event.refundId());
	}

	/** The order's deliveries, oldest first (none for an unknown order). */
	@Transactional(readOnly = true)
	public List<Delivery> deliveriesOf(String orderId) {
		return deliveries.ofOrder(orderId);
	}

	private void deliver(NotificationTemplate template, String orderId, String customerId, Map<String, String> values) {
		deliver(template, orderId, customerId, values, null);
	}

	/** {@code occasion}: what makes this message one of its own when a template may go to an order more than once. */
	private void deliver(NotificationTemplate template, String orderId, String customerId, Map<String, String> values,
			String occasion) {
		if (orderId == null || orderId.isBlank()) {
			throw new IllegalArgumentException("An order event without an order id");
		}
		Map<String, String> all = new HashMap<>(values);
		all.put("orderId", orderId);
		NotificationTemplate.Rendered message = template.render(all);
		UUID id = Ids.next();
		String name = occasion == null ? template.id() : template.id() + ":" + occasion;
		if (!deliveries.recordSent(id, orderId, customerId, EMAIL, name, message.subject(), message.body(),
				clock.instant())) {
			return;
		}
		EmailSender.Result result = customerId == null || customerId.isBlank()
				? new EmailSender.Rejected(NO_RECIPIENT)
				: email.send(new EmailSender.Email(orderId + "/" + name + "/" + EMAIL, customerId,
						message.subject(), message.body()));
		switch (result) {
			case EmailSender.Accepted accepted -> {
				outbox.publish(orderId, new NotificationSent(orderId, id.toString(), EMAIL));
				afterCommit(sent::increment);
			}
			case EmailSender.Rejected rejected -> {
				deliveries.markFailed(id, rejected.reason());
				outbox.publish(orderId, new NotificationFailed(orderId, rejected.reason()));
				afterCommit(failed::increment);
			}
		}
	}

	private static void afterCommit(Runnable action) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				action.run();
			}
		});
	}
}
