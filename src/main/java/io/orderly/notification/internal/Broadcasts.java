package io.orderly.notification.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.orderly.platform.AfterCommit;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Foreground;
import io.orderly.platform.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One template and its data to every recipient of a segment: each recipient gets a notification
 * of their own (their locale, a delivery per channel they can be reached on). The broadcast is
 * recorded at once; its notifications are queued by a thread of its own in slices of the
 * segment, a few set-based statements and a transaction each (a marketing broadcast giving way
 * to the API's callers between slices, as marketing sends do), so a hundred thousand recipients
 * never make one long transaction. Data the template lacks is refused before anything is
 * recorded. Preferences, quiet hours and rate limits apply per delivery when it is sent.
 */
@Component
@ConditionalOnModule("notification")
public class Broadcasts implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Broadcasts.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final NotificationTemplates templates;

	private final DeliveryWorkers workers;

	private final TransactionTemplate transactions;

	private final NotificationProperties properties;

	private final Foreground foreground;

	private final Clock clock;

	private final Semaphore signal = new Semaphore(0);

	private volatile boolean running;

	/** Broadcasts whose slice failed, set aside until then ({@link System#nanoTime()}) so the others go on. */
	private final Map<UUID, Long> aside = new ConcurrentHashMap<>();

	/** The broadcast the slice being queued belongs to. */
	private volatile UUID slicing;

	private Thread thread;

	Broadcasts(JdbcClient jdbc, NotificationTemplates templates, DeliveryWorkers workers, TransactionTemplate transactions,
			NotificationProperties properties, ObjectProvider<Foreground> foreground, Clock clock) {
		this.jdbc = jdbc;
		this.templates = templates;
		this.workers = workers;
		this.transactions = transactions;
		this.properties = properties;
		this.foreground = foreground.getIfAvailable(() -> Foreground.NONE);
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

	/**
	 * A broadcast and how its deliveries stand, per channel and status; {@code queuedAt}: when the
	 * last of its recipients' notifications was queued (null while they are being queued).
	 */
	public record View(String id, String template, String priority, int recipients,
			Map<String, Map<String, Long>> deliveries, Instant createdAt, Instant queuedAt) {
	}

	/**
	 * Records the broadcast and counts its recipients; its notifications are queued in slices by
	 * {@link #slice}, each in a transaction of its own. Rendered once per locale here, so data the
	 * template lacks is refused before anything is recorded.
	 */
	@Transactional
	public View start(Request request) {
		NotificationTemplates.Definition template = templates.definition(request.template());
		for (String locale : template.locales()) {
			templates.render(template, template.version(), locale, request.data());
		}
		Priority priority = request.priority() != null ? request.priority() : template.priority();
		Set<Channel> channels = request.channels() != null ? request.channels() : template.channels();
		Instant now = clock.instant();
		List<String> customers = request.segment().customers();
		int recipients = jdbc.sql("""
				with target as (%s) select count(*) from target t where cast(:locale as text) is null or t.locale = :locale"""
			.formatted(TARGET))
			.param("customers", customers == null ? null : customers.toArray(String[]::new))
			.param("after", null)
			.param("locale", request.segment().locale())
			.query(Integer.class)
			.single();
		Optional<UUID> fresh = jdbc.sql("""
				insert into notification.broadcasts (id, event_key, template, template_version, priority, segment, locale,
				                                     data, channels, recipients, created_at)
				values (:id, :key, :template, :version, :priority, :segment::jsonb, :locale, :data::jsonb, :channels,
				        :recipients, :now)
				on conflict (event_key) do nothing returning id""")
			.param("id", Ids.next())
			.param("key", request.eventKey())
			.param("template", template.name())
			.param("version", template.version())
			.param("priority", priority.name())
			.param("segment", JSON.writeValueAsString(request.segment()))
			.param("locale", request.segment().locale())
			.param("data", JSON.writeValueAsString(request.data()))
			.param("channels", channels.stream().map(Channel::name).toArray(String[]::new))
			.param("recipients", recipients)
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
		AfterCommit.run(this::wake);
		return view(fresh.get()).orElseThrow();
	}

	/** The recipients of a segment after customer {@code :after}: every customer with preferences, or those named. */
	private static final String TARGET = """
			select r.customer_id, r.locale from notification.recipients r
			where cast(:customers as text[]) is null and (cast(:after as text) is null or r.customer_id > :after)
			union all
			select c.id, coalesce(r.locale, 'en')
			from (select distinct id from unnest(cast(:customers as text[])) as u(id)) c
			left join notification.recipients r on r.customer_id = c.id
			where cast(:after as text) is null or c.id > :after""";

	/** A broadcast still being queued, as its next slice needs it. */
	private record Fanning(UUID id, String template, int version, Priority priority, List<String> customers,
			String locale, Map<String, Object> data, List<Channel> channels, String after) {
	}

	/**
	 * Queues the next slice ({@code broadcast-slice} recipients, in customer order) of the oldest
	 * broadcast still being queued, in the caller's transaction; returns its priority, or null when
	 * no broadcast is left to queue. The slice and the broadcast's place in its segment commit
	 * together: a crash repeats no slice and skips none.
	 */
	Priority slice() {
		Optional<Fanning> found = jdbc.sql("""
				select id, template, template_version, priority, segment::text as segment, locale, data::text as data,
				       channels, fanned_to
				from notification.broadcasts where fanned_out_at is null and not (id = any(:aside))
				order by case priority when 'CRITICAL' then 0 when 'TRANSACTIONAL' then 1 else 2 end, created_at
				limit 1 for update skip locked""")
			.param("aside", setAside())
			.query((rs, n) -> new Fanning(rs.getObject("id", UUID.class), rs.getString("template"),
					rs.getInt("template_version"), Priority.valueOf(rs.getString("priority")),
					JSON.readValue(rs.getString("segment"), Segment.class).customers(), rs.getString("locale"),
					JSON.readValue(rs.getString("data"), DATA),
					Arrays.stream((String[]) rs.getArray("channels").getArray()).map(Channel::valueOf).toList(),
					rs.getString("fanned_to")))
			.optional();
		if (found.isEmpty()) {
			return null;
		}
		Fanning broadcast = found.get();
		slicing = broadcast.id();
		NotificationTemplates.Definition template = templates.definition(broadcast.template());
		// The locales of the version the broadcast was recorded with (a deploy may have added a newer one).
		Set<String> locales = template.versions().get(broadcast.version()).keySet();
		Instant now = clock.instant();
		List<String[]> slice = jdbc.sql("""
				with target as (%s)
				select t.customer_id, t.locale from target t
				where cast(:locale as text) is null or t.locale = :locale
				order by t.customer_id limit :size""".formatted(TARGET))
			.param("customers", broadcast.customers() == null ? null : broadcast.customers().toArray(String[]::new))
			.param("after", broadcast.after())
			.param("locale", broadcast.locale())
			.param("size", properties.broadcastSlice())
			.query((rs, n) -> new String[] { rs.getString("customer_id"), rs.getString("locale") })
			.list();
		String[] ids = slice.stream().map(row -> row[0]).toArray(String[]::new);
		jdbc.sql("""
				insert into notification.notifications
				    (id, event_key, recipient, template, template_version, locale, priority, data, created_at, broadcast_id)
				select gen_random_uuid(), 'broadcast:' || :id || ':' || t.customer_id, t.customer_id, :template, :version,
				       case when t.locale = any(:locales) then t.locale else 'en' end, :priority, :data::jsonb, :now, :id
				from unnest(cast(:ids as text[]), cast(:recipientLocales as text[])) as t(customer_id, locale)
				on conflict (event_key) do nothing""")
			.param("id", broadcast.id())
			.param("template", template.name())
			.param("version", broadcast.version())
			.param("locales", locales.toArray(String[]::new))
			.param("priority", broadcast.priority().name())
			.param("data", JSON.writeValueAsString(broadcast.data()))
			.param("now", Timestamp.from(now))
			.param("ids", ids)
			.param("recipientLocales", slice.stream().map(row -> row[1]).toArray(String[]::new))
			.update();
		String[] keys = keys(broadcast.id(), ids);
		for (String locale : locales) {
			NotificationTemplates.Rendered rendered = templates.render(template, broadcast.version(), locale,
					broadcast.data());
			for (Channel channel : broadcast.channels()) {
				boolean email = channel == Channel.EMAIL;
				jdbc.sql("""
						insert into notification.notification_deliveries
						    (id, notification_id, channel, priority, status, subject, body, html, next_attempt_at, updated_at)
						select gen_random_uuid(), n.id, :channel, :priority, 'QUEUED', :subject, :body, :html, :now, :now
						from notification.notifications n
						left join notification.recipients r on r.customer_id = n.recipient
						where n.event_key = any(:keys) and n.locale = :locale and %s
						on conflict (notification_id, channel) do nothing""".formatted(reachable(channel)))
					.param("channel", channel.name())
					.param("priority", broadcast.priority().name())
					.param("subject", rendered.subject())
					.param("body", email ? rendered.text() : rendered.shortText())
					.param("html", email ? rendered.html() : null)
					.param("now", Timestamp.from(now))
					.param("keys", keys)
					.param("locale", locale)
					.update();
			}
		}
		jdbc.sql("""
				insert into notification.delivery_history (delivery_id, status, detail, at)
				select d.id, 'QUEUED', 'broadcast ' || :id, :now
				from notification.notification_deliveries d
				join notification.notifications n on n.id = d.notification_id
				where n.event_key = any(:keys)""")
			.param("id", broadcast.id())
			.param("now", Timestamp.from(now))
			.param("keys", keys)
			.update();
		boolean last = slice.size() < properties.broadcastSlice();
		jdbc.sql("""
				update notification.broadcasts
				set fanned_to = coalesce(cast(:to as text), fanned_to),
				    fanned_out_at = case when cast(:last as boolean) then cast(:now as timestamptz) end
				where id = :id""")
			.param("to", ids.length == 0 ? null : ids[ids.length - 1])
			.param("last", last)
			.param("now", Timestamp.from(now))
			.param("id", broadcast.id())
			.update();
		return broadcast.priority();
	}

	/** The broadcasts set aside now. */
	private UUID[] setAside() {
		long now = System.nanoTime();
		aside.values().removeIf(until -> until - now <= 0);
		return aside.keySet().toArray(UUID[]::new);
	}

	private static String[] keys(UUID broadcast, String[] customers) {
		return Arrays.stream(customers).map(customer -> "broadcast:" + broadcast + ":" + customer).toArray(String[]::new);
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
				select id, template, priority, recipients, created_at, fanned_out_at
				from notification.broadcasts where id = :id""")
			.param("id", id)
			.query((rs, n) -> new View(rs.getString("id"), rs.getString("template"),
					rs.getString("priority").toLowerCase(java.util.Locale.ROOT), rs.getInt("recipients"), counts(id),
					rs.getTimestamp("created_at").toInstant(),
					rs.getTimestamp("fanned_out_at") == null ? null : rs.getTimestamp("fanned_out_at").toInstant()))
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

	/** Wakes the thread that queues broadcasts: one was recorded. */
	private void wake() {
		if (signal.availablePermits() == 0) {
			signal.release();
		}
	}

	/** Queues slices while a broadcast is left to queue, waking the workers of each; a marketing one gives way between slices. */
	private void queueSlices() {
		while (running) {
			try {
				slicing = null;
				Priority queued = transactions.execute(status -> slice());
				if (queued == null) {
					signal.tryAcquire(properties.idleWait().toMillis(), TimeUnit.MILLISECONDS);
					signal.drainPermits();
					continue;
				}
				workers.wake(queued);
				if (queued == Priority.MARKETING && !properties.marketingYield().isZero()) {
					foreground.awaitCalm(properties.marketingYield());
				}
			}
			catch (InterruptedException stopping) {
				return;
			}
			catch (RuntimeException ex) {
				UUID failed = slicing;
				if (failed != null) {
					// The others go on; this one is tried again in a minute (its place in the segment is kept).
					aside.put(failed, System.nanoTime() + Duration.ofMinutes(1).toNanos());
				}
				log.warn("A slice of broadcast {} was not queued; it is tried again in a minute, the others go on", failed, ex);
				try {
					signal.tryAcquire(properties.idleWait().toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException stopping) {
					return;
				}
			}
		}
	}

	@Override
	public synchronized void start() {
		if (!running) {
			running = true;
			thread = Thread.ofPlatform().name("orderly-notify-broadcasts").daemon().start(this::queueSlices);
		}
	}

	@Override
	public synchronized void stop() {
		running = false;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(Duration.ofSeconds(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			thread = null;
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}
