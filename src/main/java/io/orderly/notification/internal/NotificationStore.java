package io.orderly.notification.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The notifications, their deliveries and each delivery's history. */
@Component
@ConditionalOnModule("notification")
class NotificationStore {

	private final JdbcClient jdbc;

	NotificationStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record NewNotification(UUID id, String eventKey, String recipient, String template, int templateVersion,
			String locale, Priority priority, String orderId, String data, Instant now) {
	}

	/** Inserts the notification unless its event was seen; returns the id of the one that holds the event. */
	Inserted insert(NewNotification n) {
		Optional<UUID> fresh = jdbc.sql("""
				insert into notification.notifications
				    (id, event_key, recipient, template, template_version, locale, priority, order_id, data, created_at)
				values (:id, :key, :recipient, :template, :version, :locale, :priority, :orderId, :data::jsonb, :now)
				on conflict (event_key) do nothing returning id""")
			.param("id", n.id())
			.param("key", n.eventKey())
			.param("recipient", n.recipient())
			.param("template", n.template())
			.param("version", n.templateVersion())
			.param("locale", n.locale())
			.param("priority", n.priority().name())
			.param("orderId", n.orderId())
			.param("data", n.data())
			.param("now", Timestamp.from(n.now()))
			.query(UUID.class)
			.optional();
		if (fresh.isPresent()) {
			return new Inserted(fresh.get(), true);
		}
		return new Inserted(jdbc.sql("select id from notification.notifications where event_key = :key")
			.param("key", n.eventKey())
			.query(UUID.class)
			.single(), false);
	}

	record Inserted(UUID id, boolean fresh) {
	}

	/** Queues a delivery, due at {@code due}. */
	void queue(UUID deliveryId, UUID notificationId, Channel channel, Priority priority, String subject, String body,
			String html, Instant due, String detail, Instant now) {
		jdbc.sql("""
				insert into notification.notification_deliveries
				    (id, notification_id, channel, priority, status, subject, body, html, next_attempt_at, updated_at)
				values (:id, :notification, :channel, :priority, 'QUEUED', :subject, :body, :html, :due, :now)""")
			.param("id", deliveryId)
			.param("notification", notificationId)
			.param("channel", channel.name())
			.param("priority", priority.name())
			.param("subject", subject)
			.param("body", body)
			.param("html", html)
			.param("due", Timestamp.from(due))
			.param("now", Timestamp.from(now))
			.update();
		history(deliveryId, "QUEUED", null, detail, now);
	}

	/** A delivery as a worker claims it, with what it needs to decide and to send. */
	record Claimed(UUID id, UUID notificationId, Channel channel, Priority priority, String status, String recipient,
			String orderId, String subject, String body, String html, int attempts, String provider,
			Instant heldUntil, String pinnedProvider, String template) {
	}

	/**
	 * Locks up to {@code limit} deliveries of {@code priority} on {@code channel} that are due and not leased to a
	 * live worker, oldest due first, skipping those another worker holds.
	 */
	List<Claimed> lockDue(Priority priority, Channel channel, int limit, Instant now) {
		return jdbc.sql("""
				select d.id, d.notification_id, d.channel, d.priority, d.status, n.recipient, n.order_id, d.subject,
				       d.body, d.html, d.attempts, d.provider, d.next_attempt_at, d.pinned_provider, n.template
				from notification.notification_deliveries d
				join notification.notifications n on n.id = d.notification_id
				where d.priority = :priority and d.channel = :channel and d.status in ('QUEUED', 'HELD')
				  and d.next_attempt_at <= :now
				  and (d.lease_until is null or d.lease_until < :now)
				order by d.next_attempt_at
				limit :limit
				for update of d skip locked""")
			.param("priority", priority.name())
			.param("channel", channel.name())
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query(NotificationStore::claimed)
			.list();
	}

	/** Leases locked deliveries to this worker for one attempt each. */
	void lease(Collection<UUID> ids, Instant until, Instant now) {
		if (ids.isEmpty()) {
			return;
		}
		jdbc.sql("""
				update notification.notification_deliveries
				set lease_until = :until, updated_at = :now where id = any(:ids)""")
			.param("ids", ids.toArray(UUID[]::new))
			.param("until", Timestamp.from(until))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** Gives back leased deliveries this worker did not get to: due again at once for any worker. */
	void release(Collection<UUID> ids, Instant now) {
		if (ids.isEmpty()) {
			return;
		}
		jdbc.sql("""
				update notification.notification_deliveries
				set lease_until = null, updated_at = :now where id = any(:ids) and status in ('QUEUED', 'HELD')""")
			.param("ids", ids.toArray(UUID[]::new))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** Holds a delivery until {@code until} (quiet hours); a history entry only when the hold is new. */
	void hold(Claimed delivery, Instant until, String detail, Instant now) {
		jdbc.sql("""
				update notification.notification_deliveries
				set status = 'HELD', next_attempt_at = :until, updated_at = :now where id = :id""")
			.param("id", delivery.id())
			.param("until", Timestamp.from(until))
			.param("now", Timestamp.from(now))
			.update();
		if (!"HELD".equals(delivery.status()) || !until.equals(delivery.heldUntil())) {
			history(delivery.id(), "HELD", null, detail, now);
		}
	}

	/** Records that a delivery is held for a reason of its own (a digest): a history entry only. */
	void heldFor(UUID id, String detail, Instant now) {
		history(id, "HELD", null, detail, now);
	}

	/**
	 * Ends a delivery in {@code status} (SENT, SUPPRESSED, BOUNCED, FAILED), if it is still open:
	 * a lease that ran out and was taken over by another worker does not write twice.
	 *
	 * @return whether this call ended it
	 */
	boolean finish(UUID id, String status, String provider, String providerMessage, String detail, Instant now) {
		// One statement (the change and its history entry): a broadcast's round ends a hundred of these.
		return jdbc.sql("""
				with ended as (
				    update notification.notification_deliveries
				    set status = :status, provider = coalesce(:provider, provider),
				        attempts = attempts + case when :provider::text is null then 0 else 1 end,
				        provider_message = coalesce(:message, provider_message), lease_until = null, next_attempt_at = null,
				        updated_at = :now
				    where id = :id and status in ('QUEUED', 'HELD')
				    returning id)
				insert into notification.delivery_history (delivery_id, status, provider, detail, at)
				select id, :status, :provider, :detail, :now from ended""")
			.param("id", id)
			.param("status", status)
			.param("provider", provider)
			.param("message", providerMessage)
			.param("detail", clipped(detail))
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	/** A delivery a provider took, as message {@code messageId}. */
	record Sent(UUID id, String provider, String messageId) {
	}

	/**
	 * Ends deliveries the providers took as SENT, those still open, in one statement (a round's
	 * worth: a statement each made PostgreSQL half a broadcast's cost); returns those it ended.
	 */
	Set<UUID> sent(List<Sent> sent, Instant now) {
		if (sent.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(jdbc.sql("""
				with taken as (
				    select * from unnest(cast(:ids as uuid[]), cast(:providers as text[]), cast(:messages as text[]))
				        as t(id, provider, message)),
				ended as (
				    update notification.notification_deliveries d
				    set status = 'SENT', provider = coalesce(t.provider, d.provider),
				        attempts = d.attempts + case when t.provider is null then 0 else 1 end,
				        provider_message = coalesce(t.message, d.provider_message), lease_until = null, next_attempt_at = null,
				        updated_at = :now
				    from taken t
				    where d.id = t.id and d.status in ('QUEUED', 'HELD')
				    returning d.id, t.provider)
				insert into notification.delivery_history (delivery_id, status, provider, detail, at)
				select id, 'SENT', provider, null, :now from ended
				returning delivery_id""")
			.param("ids", sent.stream().map(Sent::id).toArray(UUID[]::new))
			.param("providers", sent.stream().map(Sent::provider).toArray(String[]::new))
			.param("messages", sent.stream().map(Sent::messageId).toArray(String[]::new))
			.param("now", Timestamp.from(now))
			.query(UUID.class)
			.list());
	}

	/** An attempt failed for now: due again at {@code next}; pinned to {@code pinned} when it may have reached it. */
	void retryAt(UUID id, Instant next, String provider, String pinned, String detail, Instant now) {
		jdbc.sql("""
				update notification.notification_deliveries
				set status = 'QUEUED', next_attempt_at = :next, lease_until = null, provider = :provider,
				    pinned_provider = coalesce(pinned_provider, :pinned), attempts = attempts + 1, updated_at = :now
				where id = :id and status in ('QUEUED', 'HELD')""")
			.param("id", id)
			.param("next", Timestamp.from(next))
			.param("provider", provider)
			.param("pinned", pinned)
			.param("now", Timestamp.from(now))
			.update();
		history(id, "QUEUED", provider, detail, now);
	}

	/**
	 * Queues the notification's FAILED deliveries again, due now, with their attempts starting
	 * over (the history keeps the earlier ones; a pinned provider stays pinned). Returns the
	 * priorities queued, one per delivery.
	 */
	List<Priority> retryFailed(UUID notificationId, String detail, Instant now) {
		record Retried(UUID id, Priority priority) {
		}
		List<Retried> retried = jdbc.sql("""
				update notification.notification_deliveries
				set status = 'QUEUED', attempts = 0, next_attempt_at = :now, lease_until = null, updated_at = :now
				where notification_id = :id and status = 'FAILED'
				returning id, priority""")
			.param("id", notificationId)
			.param("now", Timestamp.from(now))
			.query((rs, n) -> new Retried(rs.getObject("id", UUID.class), Priority.valueOf(rs.getString("priority"))))
			.list();
		retried.forEach(delivery -> history(delivery.id(), "QUEUED", null, detail, now));
		return retried.stream().map(Retried::priority).toList();
	}

	/** Not tried now (its providers are taken for down): due again at {@code next}, attempts untouched. */
	void defer(UUID id, Instant next, Instant now) {
		jdbc.sql("""
				update notification.notification_deliveries
				set next_attempt_at = :next, lease_until = null, updated_at = :now
				where id = :id and status in ('QUEUED', 'HELD')""")
			.param("id", id)
			.param("next", Timestamp.from(next))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** A provider's receipt for a sent message: DELIVERED or BOUNCED, once. */
	boolean receipt(String provider, String providerMessage, String status, String detail, Instant now) {
		return jdbc.sql("""
				with received as (
				    update notification.notification_deliveries
				    set status = :status, updated_at = :now
				    where provider = :provider and provider_message = :message and status = 'SENT'
				    returning id)
				insert into notification.delivery_history (delivery_id, status, provider, detail, at)
				select id, :status, :provider, :detail, :now from received""")
			.param("status", status)
			.param("provider", provider)
			.param("message", providerMessage)
			.param("detail", clipped(detail))
			.param("now", Timestamp.from(now))
			.update() == 1;
	}

	/** Whether there is a notification {@code id}. */
	boolean exists(UUID id) {
		return jdbc.sql("select exists (select 1 from notification.notifications where id = :id)")
			.param("id", id)
			.query(Boolean.class)
			.single();
	}

	/** Whether a delivery was sent by {@code provider} as {@code providerMessage}. */
	boolean knows(String provider, String providerMessage) {
		return jdbc.sql("""
				select exists (select 1 from notification.notification_deliveries
				               where provider = :provider and provider_message = :message)""")
			.param("provider", provider)
			.param("message", providerMessage)
			.query(Boolean.class)
			.single();
	}

	private void history(UUID deliveryId, String status, String provider, String detail, Instant now) {
		jdbc.sql("""
				insert into notification.delivery_history (delivery_id, status, provider, detail, at)
				values (:id, :status, :provider, :detail, :now)""")
			.param("id", deliveryId)
			.param("status", status)
			.param("provider", provider)
			.param("detail", clipped(detail))
			.param("now", Timestamp.from(now))
			.update();
	}

	/** A history entry's detail, at most 2,000 characters. */
	private static String clipped(String detail) {
		return detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
	}

	/** What a notification was made from, to render it for another channel. */
	record Source(String template, int version, String locale, String data) {
	}

	Source source(UUID notificationId) {
		return jdbc.sql("""
				select template, template_version, locale, data::text as data from notification.notifications where id = :id""")
			.param("id", notificationId)
			.query((rs, n) -> new Source(rs.getString("template"), rs.getInt("template_version"), rs.getString("locale"),
					rs.getString("data")))
			.single();
	}

	/** Queues a delivery on another channel unless the notification has one there already; whether it did. */
	boolean queueIfAbsent(UUID deliveryId, UUID notificationId, Channel channel, Priority priority, String subject,
			String body, String detail, Instant now) {
		int added = jdbc.sql("""
				insert into notification.notification_deliveries
				    (id, notification_id, channel, priority, status, subject, body, next_attempt_at, updated_at)
				values (:id, :notification, :channel, :priority, 'QUEUED', :subject, :body, :now, :now)
				on conflict (notification_id, channel) do nothing""")
			.param("id", deliveryId)
			.param("notification", notificationId)
			.param("channel", channel.name())
			.param("priority", priority.name())
			.param("subject", subject)
			.param("body", body)
			.param("now", Timestamp.from(now))
			.update();
		if (added == 1) {
			history(deliveryId, "QUEUED", null, detail, now);
		}
		return added == 1;
	}

	/** Deliveries of one order's notifications of {@code template} still waiting; for a message that lost its point. */
	List<UUID> waiting(String orderId, String template) {
		return jdbc.sql("""
				select d.id from notification.notification_deliveries d
				join notification.notifications n on n.id = d.notification_id
				where n.order_id = :order and n.template = :template and d.status in ('QUEUED', 'HELD')""")
			.param("order", orderId)
			.param("template", template)
			.query(UUID.class)
			.list();
	}

	/** How many deliveries wait per priority and status (QUEUED, HELD), for the metrics. */
	Map<String, Long> depth() {
		Map<String, Long> depth = new LinkedHashMap<>();
		jdbc.sql("""
				select priority || ':' || status as k, count(*) as n from notification.notification_deliveries
				where status in ('QUEUED', 'HELD') group by priority, status""")
			.query((rs, n) -> depth.put(rs.getString("k"), rs.getLong("n")))
			.list();
		return depth;
	}

	Optional<NotificationView> view(UUID id) {
		return jdbc.sql("""
				select id, recipient, template, template_version, locale, priority, order_id, created_at
				from notification.notifications where id = :id""")
			.param("id", id)
			.query(NotificationStore::header)
			.optional()
			.map(header -> views(List.of(header)).getFirst());
	}

	/** A page of notifications, newest first, of a recipient or an order, before {@code before} (a cursor). */
	List<NotificationView> page(String column, String value, Instant beforeTime, UUID beforeId, int limit) {
		String sql = """
				select id, recipient, template, template_version, locale, priority, order_id, created_at
				from notification.notifications
				where %s = :value and (:time::timestamptz is null or (created_at, id) < (:time, :id))
				order by created_at desc, id desc limit :limit""".formatted(column);
		List<Header> headers = jdbc.sql(sql)
			.param("value", value)
			.param("time", beforeTime == null ? null : Timestamp.from(beforeTime))
			.param("id", beforeId)
			.param("limit", limit)
			.query(NotificationStore::header)
			.list();
		return views(headers);
	}

	private List<NotificationView> views(List<Header> headers) {
		if (headers.isEmpty()) {
			return List.of();
		}
		UUID[] ids = headers.stream().map(Header::id).toArray(UUID[]::new);
		Map<UUID, List<NotificationView.Delivery>> deliveries = new LinkedHashMap<>();
		Map<UUID, List<NotificationView.Entry>> histories = new LinkedHashMap<>();
		jdbc.sql("""
				select h.delivery_id, h.status, h.provider, h.detail, h.at
				from notification.delivery_history h
				join notification.notification_deliveries d on d.id = h.delivery_id
				where d.notification_id = any(:ids) order by h.id""")
			.param("ids", ids)
			.query((rs, n) -> histories.computeIfAbsent(rs.getObject("delivery_id", UUID.class), k -> new ArrayList<>())
				.add(new NotificationView.Entry(rs.getString("status"), rs.getTimestamp("at").toInstant(),
						rs.getString("provider"), rs.getString("detail"))))
			.list();
		jdbc.sql("""
				select id, notification_id, channel, status, provider, subject, body, attempts
				from notification.notification_deliveries where notification_id = any(:ids) order by channel""")
			.param("ids", ids)
			.query((rs, n) -> {
				UUID id = rs.getObject("id", UUID.class);
				return deliveries.computeIfAbsent(rs.getObject("notification_id", UUID.class), k -> new ArrayList<>())
					.add(new NotificationView.Delivery(id.toString(), Channel.valueOf(rs.getString("channel")).wire(),
							rs.getString("status"), rs.getString("provider"), rs.getString("subject"),
							rs.getString("body"), rs.getInt("attempts"), histories.getOrDefault(id, List.of())));
			})
			.list();
		return headers.stream()
			.map(h -> new NotificationView(h.id().toString(), h.recipient(), h.template(), h.templateVersion(),
					h.locale(), h.priority().toLowerCase(java.util.Locale.ROOT), h.orderId(), h.createdAt(),
					deliveries.getOrDefault(h.id(), List.of())))
			.toList();
	}

	private record Header(UUID id, String recipient, String template, int templateVersion, String locale,
			String priority, String orderId, Instant createdAt) {
	}

	private static Header header(ResultSet rs, int row) throws SQLException {
		return new Header(rs.getObject("id", UUID.class), rs.getString("recipient"), rs.getString("template"),
				rs.getInt("template_version"), rs.getString("locale"), rs.getString("priority"),
				rs.getString("order_id"), rs.getTimestamp("created_at").toInstant());
	}

	private static Claimed claimed(ResultSet rs, int row) throws SQLException {
		Timestamp due = rs.getTimestamp("next_attempt_at");
		return new Claimed(rs.getObject("id", UUID.class), rs.getObject("notification_id", UUID.class),
				Channel.valueOf(rs.getString("channel")), Priority.valueOf(rs.getString("priority")),
				rs.getString("status"), rs.getString("recipient"), rs.getString("order_id"), rs.getString("subject"),
				rs.getString("body"), rs.getString("html"), rs.getInt("attempts"), rs.getString("provider"),
				due == null ? null : due.toInstant(), rs.getString("pinned_provider"), rs.getString("template"));
	}
}
