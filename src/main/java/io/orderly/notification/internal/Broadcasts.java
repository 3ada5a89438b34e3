package io.orderly.notification.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.orderly.platform.AfterCommit;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Ids;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * One template and its data to every recipient of a segment: each recipient gets a notification
 * of their own (their locale, a delivery per channel they can be reached on), queued in one
 * transaction by a few set-based statements, so a broadcast to a hundred thousand takes seconds.
 * Rendered once per locale: data the template lacks is refused before anything is queued.
 * Preferences, quiet hours and rate limits apply per delivery when it is sent, as for any other.
 */
@Component
@ConditionalOnModule("notification")
public class Broadcasts {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	private final NotificationTemplates templates;

	private final DeliveryWorkers workers;

	private final Clock clock;

	Broadcasts(JdbcClient jdbc, NotificationTemplates templates, DeliveryWorkers workers, Clock clock) {
		this.jdbc = jdbc;
		this.templates = templates;
		this.workers = workers;
		this.clock = clock;
	}

	/**
	 * Who a broadcast goes to: the customers named, or every customer with preferences; either
	 * narrowed to those whose locale is {@code locale} when it is given.
	 */
	public record Segment(List<String> customers, String locale) {
	}

	public record Request(String eventKey, Segment segment, String template, Map<String, ?> data, Priority priority,
			Set<Channel> channels) {
	}

	/** A broadcast and how its deliveries stand, per channel and status. */
	public record View(String id, String template, String priority, int recipients,
			Map<String, Map<String, Long>> deliveries, Instant createdAt) {
	}

	@Transactional
	public View start(Request request) {
		NotificationTemplates.Definition template = templates.definition(request.template());
		Map<String, NotificationTemplates.Rendered> byLocale = new LinkedHashMap<>();
		for (String locale : template.locales()) {
			byLocale.put(locale, templates.render(template, template.version(), locale, request.data()));
		}
		Priority priority = request.priority() != null ? request.priority() : template.priority();
		Set<Channel> channels = request.channels() != null ? request.channels() : template.channels();
		Instant now = clock.instant();
		UUID id = Ids.next();
		Optional<UUID> fresh = jdbc.sql("""
				insert into notification.broadcasts (id, event_key, template, priority, segment, recipients, created_at)
				values (:id, :key, :template, :priority, :segment::jsonb, 0, :now)
				on conflict (event_key) do nothing returning id""")
			.param("id", id)
			.param("key", request.eventKey())
			.param("template", template.name())
			.param("priority", priority.name())
			.param("segment", JSON.writeValueAsString(request.segment()))
			.param("now", Timestamp.from(now))
			.query(UUID.class)
			.optional();
		if (fresh.isEmpty()) {
			UUID existing = jdbc.sql("select id from notification.broadcasts where event_key = :key")
				.param("key", request.eventKey())
				.query(UUID.class)
				.single();
			return view(existing).orElseThrow();
		}
		List<String> customers = request.segment().customers();
		int recipients = jdbc.sql("""
				with target as (
				    select r.customer_id, r.locale from notification.recipients r
				    where cast(:customers as text[]) is null
				    union all
				    select c.id, coalesce(r.locale, 'en') from unnest(cast(:customers as text[])) as c(id)
				    left join notification.recipients r on r.customer_id = c.id
				)
				insert into notification.notifications
				    (id, event_key, recipient, template, template_version, locale, priority, data, created_at, broadcast_id)
				select gen_random_uuid(), 'broadcast:' || :id || ':' || t.customer_id, t.customer_id, :template, :version,
				       case when t.locale = any(:locales) then t.locale else 'en' end, :priority, :data::jsonb, :now, :id
				from target t
				where cast(:locale as text) is null or t.locale = :locale
				on conflict (event_key) do nothing""")
			.param("customers", customers == null ? null : customers.toArray(String[]::new))
			.param("id", id)
			.param("template", template.name())
			.param("version", template.version())
			.param("locales", template.locales().toArray(String[]::new))
			.param("priority", priority.name())
			.param("data", JSON.writeValueAsString(request.data()))
			.param("now", Timestamp.from(now))
			.param("locale", request.segment().locale())
			.update();
		for (Channel channel : channels) {
			boolean email = channel == Channel.EMAIL;
			byLocale.forEach((locale, rendered) -> jdbc.sql("""
					insert into notification.notification_deliveries
					    (id, notification_id, channel, priority, status, subject, body, html, next_attempt_at, updated_at)
					select gen_random_uuid(), n.id, :channel, :priority, 'QUEUED', :subject, :body, :html, :now, :now
					from notification.notifications n
					left join notification.recipients r on r.customer_id = n.recipient
					where n.broadcast_id = :id and n.locale = :locale and %s""".formatted(reachable(channel)))
				.param("channel", channel.name())
				.param("priority", priority.name())
				.param("subject", rendered.subject())
				.param("body", email ? rendered.text() : rendered.shortText())
				.param("html", email ? rendered.html() : null)
				.param("now", Timestamp.from(now))
				.param("id", id)
				.param("locale", locale)
				.update());
		}
		jdbc.sql("""
				insert into notification.delivery_history (delivery_id, status, detail, at)
				select d.id, 'QUEUED', 'broadcast ' || :id, :now
				from notification.notification_deliveries d
				join notification.notifications n on n.id = d.notification_id
				where n.broadcast_id = :id""")
			.param("id", id)
			.param("now", Timestamp.from(now))
			.update();
		jdbc.sql("update notification.broadcasts set recipients = :n where id = :id")
			.param("n", recipients)
			.param("id", id)
			.update();
		AfterCommit.run(() -> workers.wake(priority));
		return view(id).orElseThrow();
	}

	/** Which recipients a channel reaches: a contact point for it (in-app reaches everybody). */
	private static String reachable(Channel channel) {
		return switch (channel) {
			case EMAIL -> "r.email is not null";
			case SMS -> "r.phone is not null";
			case PUSH -> "cardinality(r.push_tokens) > 0";
			case IN_APP -> "true";
		};
	}

	@Transactional(readOnly = true)
	public Optional<View> view(UUID id) {
		return jdbc.sql("""
				select id, template, priority, recipients, created_at from notification.broadcasts where id = :id""")
			.param("id", id)
			.query((rs, n) -> new View(rs.getString("id"), rs.getString("template"),
					rs.getString("priority").toLowerCase(java.util.Locale.ROOT), rs.getInt("recipients"), counts(id),
					rs.getTimestamp("created_at").toInstant()))
			.optional();
	}

	private Map<String, Map<String, Long>> counts(UUID id) {
		Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
		jdbc.sql("""
				select d.channel, d.status, count(*) as n
				from notification.notification_deliveries d
				join notification.notifications n on n.id = d.notification_id
				where n.broadcast_id = :id group by d.channel, d.status order by d.channel, d.status""")
			.param("id", id)
			.query((rs, row) -> counts
				.computeIfAbsent(Channel.valueOf(rs.getString("channel")).wire(), c -> new LinkedHashMap<>())
				.put(rs.getString("status"), rs.getLong("n")))
			.list();
		return counts;
	}
}
