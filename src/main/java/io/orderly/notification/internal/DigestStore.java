package io.orderly.notification.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Ids;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The digest windows per recipient and channel, the open digests and what they hold. */
@Component
@ConditionalOnModule("notification")
class DigestStore {

	private final JdbcClient jdbc;

	DigestStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Starts a new window for the recipient on the channel if the last one began at least
	 * {@code window} ago (or there was none): then this message goes now. So it does when this very
	 * delivery opened the window and comes again, given back untried by its round. The window's row is
	 * locked until the caller commits, so two workers cannot both start one.
	 */
	boolean startWindow(UUID deliveryId, String recipient, Channel channel, Duration window, Instant now) {
		return jdbc.sql("""
				insert into notification.digest_windows (recipient, channel, window_start, opened_by)
				values (:recipient, :channel, :now, :delivery)
				on conflict (recipient, channel) do update
				set window_start = case when digest_windows.opened_by = excluded.opened_by
				                        then digest_windows.window_start else excluded.window_start end,
				    opened_by = excluded.opened_by
				where digest_windows.window_start <= :since or digest_windows.opened_by = excluded.opened_by
				returning window_start""")
			.param("delivery", deliveryId)
			.param("recipient", recipient)
			.param("channel", channel.name())
			.param("now", Timestamp.from(now))
			.param("since", Timestamp.from(now.minus(window)))
			.query(Timestamp.class)
			.optional()
			.isPresent();
	}

	/** Holds the delivery in the recipient's open digest for the channel (opened for this window if none); returns when it goes. */
	Instant collect(UUID deliveryId, String recipient, Channel channel, Duration window, Instant now) {
		Instant windowStart = jdbc.sql("""
				select window_start from notification.digest_windows where recipient = :recipient and channel = :channel""")
			.param("recipient", recipient)
			.param("channel", channel.name())
			.query(Timestamp.class)
			.single()
			.toInstant();
		jdbc.sql("""
				insert into notification.digests (id, recipient, channel, window_end, status, created_at)
				values (:id, :recipient, :channel, :end, 'OPEN', :now)
				on conflict (recipient, channel) where status = 'OPEN' do nothing""")
			.param("id", Ids.next())
			.param("recipient", recipient)
			.param("channel", channel.name())
			.param("end", Timestamp.from(windowStart.plus(window)))
			.param("now", Timestamp.from(now))
			.update();
		record Open(UUID id, Instant end) {
		}
		Open open = jdbc.sql("""
				select id, window_end from notification.digests
				where recipient = :recipient and channel = :channel and status = 'OPEN'""")
			.param("recipient", recipient)
			.param("channel", channel.name())
			.query((rs, n) -> new Open(rs.getObject("id", UUID.class), rs.getTimestamp("window_end").toInstant()))
			.single();
		jdbc.sql("""
				update notification.notification_deliveries
				set status = 'HELD', digest_id = :digest, next_attempt_at = null, lease_until = null, updated_at = :now
				where id = :id""")
			.param("digest", open.id())
			.param("id", deliveryId)
			.param("now", Timestamp.from(now))
			.update();
		return open.end();
	}

	record Due(UUID id, String recipient, Channel channel) {
	}

	/** Open digests whose window has ended, locked (others' skipped). */
	List<Due> due(Instant now, int limit) {
		return jdbc.sql("""
				select id, recipient, channel from notification.digests
				where status = 'OPEN' and window_end <= :now order by window_end limit :limit for update skip locked""")
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query((rs, n) -> new Due(rs.getObject("id", UUID.class), rs.getString("recipient"),
					Channel.valueOf(rs.getString("channel"))))
			.list();
	}

	record Item(UUID deliveryId, String subject, Priority priority) {
	}

	/** What a digest holds, oldest first. */
	List<Item> items(UUID digestId) {
		return jdbc.sql("""
				select id, subject, priority from notification.notification_deliveries
				where digest_id = :digest and status = 'HELD' order by updated_at, id""")
			.param("digest", digestId)
			.query((rs, n) -> new Item(rs.getObject("id", UUID.class), rs.getString("subject"),
					Priority.valueOf(rs.getString("priority"))))
			.list();
	}

	/** The digest went out as {@code notificationId} (null: it held nothing); the next window starts now. */
	void sent(Due digest, UUID notificationId, Instant now) {
		jdbc.sql("update notification.digests set status = 'SENT', notification_id = :notification where id = :id")
			.param("notification", notificationId)
			.param("id", digest.id())
			.update();
		jdbc.sql("""
				update notification.digest_windows set window_start = :now where recipient = :recipient and channel = :channel""")
			.param("now", Timestamp.from(now))
			.param("recipient", digest.recipient())
			.param("channel", digest.channel().name())
			.update();
	}
}
