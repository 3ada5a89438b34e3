package io.orderly.notification.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.orderly.order.OrderCancellationRejected;
import io.orderly.order.OrderCancelled;
import io.orderly.order.OrderConfirmed;
import io.orderly.order.OrderPlaced;
import io.orderly.order.OrderRefunded;
import io.orderly.payment.PaymentPending;
import io.orderly.platform.AfterCommit;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Ids;
import io.orderly.shipping.ShipmentDispatched;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Queues notifications: for the order events customers hear about, and for other systems
 * through the API. A notification is rendered when it is queued (so data a template lacks is
 * refused there and then, {@link NotificationRefused}), once per event identity however often
 * the event arrives, with a delivery per channel that {@link DeliveryWorkers} send.
 */
@Component
@ConditionalOnModule("notification")
public class NotificationManagement {

	static final String PAYMENT_PROCESSING = "payment-processing";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final NotificationTemplates templates;

	private final NotificationStore store;

	private final Recipients recipients;

	private final DeliveryWorkers workers;

	private final NotificationProperties properties;

	private final Clock clock;

	NotificationManagement(NotificationTemplates templates, NotificationStore store, Recipients recipients,
			DeliveryWorkers workers, NotificationProperties properties, Clock clock) {
		this.templates = templates;
		this.store = store;
		this.recipients = recipients;
		this.workers = workers;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * A notification to queue.
	 *
	 * @param eventKey  its identity: a second request with the same key queues nothing
	 * @param locale    null: the recipient's
	 * @param priority  null: the template's
	 * @param channels  null: the template's, those the recipient can be reached on (e-mail always)
	 * @param delay     how long after now it is due
	 */
	public record Request(String eventKey, String recipient, String template, String locale, Map<String, ?> data,
			Priority priority, Set<Channel> channels, String orderId, Duration delay) {
	}

	/** The queued notification, and whether this request queued it (false: its event was seen before). */
	public record Queued(UUID id, boolean fresh) {
	}

	/** Queues a notification in the caller's transaction; its workers are woken after the commit. */
	@Transactional
	public Queued queue(Request request) {
		if (request.recipient() == null || request.recipient().isBlank()) {
			throw NotificationRefused.invalid("A notification needs a recipient.");
		}
		NotificationTemplates.Definition template = templates.definition(request.template());
		Recipients.Preferences preferences = recipients.of(request.recipient());
		String locale = templates.localeFor(template, request.locale() != null ? request.locale() : preferences.locale());
		NotificationTemplates.Rendered rendered = templates.render(template, template.version(), locale, request.data());
		Priority priority = request.priority() != null ? request.priority() : template.priority();
		Instant now = clock.instant();
		NotificationStore.Inserted inserted = store.insert(new NotificationStore.NewNotification(Ids.next(),
				request.eventKey(), request.recipient(), template.name(), template.version(), locale, priority,
				request.orderId(), JSON.writeValueAsString(request.data()), now));
		if (!inserted.fresh()) {
			return new Queued(inserted.id(), false);
		}
		Set<Channel> channels = request.channels() != null ? request.channels() : reachable(template, preferences);
		Instant due = request.delay() == null ? now : now.plus(request.delay());
		String detail = due.isAfter(now) ? "due at " + due : null;
		for (Channel channel : channels) {
			boolean email = channel == Channel.EMAIL;
			store.queue(Ids.next(), inserted.id(), channel, priority, rendered.subject(),
					email ? rendered.text() : rendered.shortText(), email ? rendered.html() : null, due, detail, now);
		}
		AfterCommit.run(() -> workers.wake(priority));
		return new Queued(inserted.id(), true);
	}

	/** The template's channels the recipient has a contact point for; e-mail always (it fails visibly without one). */
	private static Set<Channel> reachable(NotificationTemplates.Definition template, Recipients.Preferences preferences) {
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		for (Channel channel : template.channels()) {
			if (channel == Channel.EMAIL || preferences.address(channel).isPresent()) {
				channels.add(channel);
			}
		}
		return channels;
	}

	void on(OrderPlaced event) {
		recipients.rememberBuyer(event.orderId(), event.customerId());
	}

	void on(OrderConfirmed event) {
		settled(event.orderId(), "the order was confirmed");
		queueForOrder("order-confirmed", null, event.orderId(), event.customerId(),
				Map.of("amount", NotificationTemplates.amount(event.totalMinor(), event.currency())), null);
	}

	void on(OrderCancelled event) {
		settled(event.orderId(), "the order was cancelled");
		queueForOrder("order-cancelled", null, event.orderId(), event.customerId(),
				Map.of("reason", NotificationTemplates.reason(event.reason())), null);
	}

	void on(OrderCancellationRejected event) {
		queueForOrder("cancellation-rejected", null, event.orderId(), event.customerId(),
				Map.of("reason", NotificationTemplates.reason(event.reason())), null);
	}

	/** One message per refund (the refund's id keeps two refunds of an order apart). */
	void on(OrderRefunded event) {
		queueForOrder("order-refunded", event.refundId(), event.orderId(), event.customerId(),
				Map.of("amount", NotificationTemplates.amount(event.amountMinor(), event.currency()), "reason",
						event.reason() == null ? "refund" : event.reason()),
				null);
	}

	/**
	 * "We are processing your payment", once per order, after {@code payment-waiting-delay}; not at
	 * all if the order is confirmed or cancelled before then ({@link #settled}).
	 */
	void on(PaymentPending event) {
		queueForOrder(PAYMENT_PROCESSING, null, event.orderId(), buyerOf(event.orderId()), Map.of(),
				properties.paymentWaitingDelay());
	}

	void on(ShipmentDispatched event) {
		queueForOrder("order-dispatched", null, event.orderId(), buyerOf(event.orderId()),
				Map.of("shipmentId", event.shipmentId()), null);
	}

	/** The buyer, from OrderPlaced; it was committed before any later event of the order, so it is retried until seen. */
	private String buyerOf(String orderId) {
		return recipients.buyerOf(orderId)
			.orElseThrow(() -> new IllegalStateException("The buyer of order " + orderId + " is not known yet"));
	}

	/** The payment is settled: a "processing your payment" message not yet sent has lost its point. */
	private void settled(String orderId, String why) {
		Instant now = clock.instant();
		for (UUID delivery : store.waiting(orderId, PAYMENT_PROCESSING)) {
			store.finish(delivery, "SUPPRESSED", null, null, "no longer relevant: " + why, now);
		}
	}

	private void queueForOrder(String template, String occasion, String orderId, String customerId,
			Map<String, String> values, Duration delay) {
		if (orderId == null || orderId.isBlank()) {
			throw NotificationRefused.invalid("An order event without an order id.");
		}
		Map<String, Object> data = new LinkedHashMap<>(values);
		data.put("orderId", orderId);
		String key = orderId + ":" + template + (occasion == null ? "" : ":" + occasion);
		queue(new Request(key, customerId, template, null, data, null, null, orderId, delay));
	}

	/**
	 * An operator's second chance for what failed: the notification's FAILED deliveries queued
	 * again (after a provider's long outage, a contact point corrected). Empty when there is no
	 * such notification; otherwise how many were queued.
	 */
	@Transactional
	public Optional<Integer> retryFailed(UUID id, String by) {
		if (!store.exists(id)) {
			return Optional.empty();
		}
		List<Priority> queued = store.retryFailed(id, "retried by " + by, clock.instant());
		Set.copyOf(queued).forEach(priority -> AfterCommit.run(() -> workers.wake(priority)));
		return Optional.of(queued.size());
	}

	/**
	 * A notification as one moment saw it: its deliveries and their histories are read by separate
	 * statements, which under read committed could each see another commit (a FAILED delivery
	 * without the history entry that failed it was seen so).
	 */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public Optional<NotificationView> find(UUID id) {
		return store.view(id);
	}

	/** A page of a recipient's notifications, newest first, before the cursor notification when given. */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public List<NotificationView> ofRecipient(String recipient, NotificationView before, int limit) {
		return store.page("recipient", recipient, before == null ? null : before.createdAt(),
				before == null ? null : UUID.fromString(before.id()), limit);
	}

	/** A page of an order's notifications, newest first, before the cursor notification when given. */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public List<NotificationView> ofOrder(String orderId, NotificationView before, int limit) {
		return store.page("order_id", orderId, before == null ? null : before.createdAt(),
				before == null ? null : UUID.fromString(before.id()), limit);
	}

}
