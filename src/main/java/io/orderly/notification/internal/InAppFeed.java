package io.orderly.notification.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The in-app channel: a feed per customer, in this module's own database. Sending is writing the
 * entry (keyed by the delivery, so a second attempt writes nothing); open clients hear of it
 * through {@link FeedStreams}.
 */
@Component
@ConditionalOnModule("notification")
public class InAppFeed implements ChannelSender {

	static final String PROVIDER = "in-app";

	private final JdbcClient jdbc;

	private final Clock clock;

	InAppFeed(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** One entry of a customer's feed. */
	public record Entry(String id, String title, String body, Instant createdAt, Instant readAt) {
	}

	@Override
	public Channel channel() {
		return Channel.IN_APP;
	}

	@Override
	public boolean local() {
		return true;
	}

	@Override
	public Outcome send(Outgoing message) {
		jdbc.sql("""
				insert into notification.feed_entries (id, customer_id, title, body, created_at)
				values (:id, :customer, :title, :body, :now) on conflict (id) do nothing""")
			.param("id", message.deliveryId())
			.param("customer", message.recipient())
			.param("title", message.subject())
			.param("body", message.body())
			.param("now", Timestamp.from(clock.instant()))
			.update();
		return new Sent(PROVIDER, message.deliveryId().toString());
	}

	/** The customer's entries, newest first, older than the cursor entry when one is given. */
	List<Entry> page(String customerId, UUID before, int limit) {
		return jdbc.sql("""
				select id, title, body, created_at, read_at from notification.feed_entries
				where customer_id = :customer
				  and (:before::uuid is null or (created_at, id) < (select created_at, id from notification.feed_entries
				                                                    where id = :before and customer_id = :customer))
				order by created_at desc, id desc limit :limit""")
			.param("customer", customerId)
			.param("before", before)
			.param("limit", limit)
			.query(InAppFeed::entry)
			.list();
	}

	/** Entries after ({@code after}, {@code afterId}) in (time, id) order, oldest first: a live stream catching up. */
	List<Entry> since(String customerId, Instant after, UUID afterId) {
		return jdbc.sql("""
				select id, title, body, created_at, read_at from notification.feed_entries
				where customer_id = :customer and (created_at, id) > (:after, :afterId)
				order by created_at, id limit 500""")
			.param("customer", customerId)
			.param("after", Timestamp.from(after))
			.param("afterId", afterId)
			.query(InAppFeed::entry)
			.list();
	}

	private static Entry entry(ResultSet rs, int row) throws SQLException {
		return new Entry(rs.getString("id"), rs.getString("title"), rs.getString("body"),
				rs.getTimestamp("created_at").toInstant(),
				Optional.ofNullable(rs.getTimestamp("read_at")).map(Timestamp::toInstant).orElse(null));
	}

	long unread(String customerId) {
		return jdbc.sql("select count(*) from notification.feed_entries where customer_id = :customer and read_at is null")
			.param("customer", customerId)
			.query(Long.class)
			.single();
	}

	/** Marks the customer's entry read (once; a second time changes nothing). False: no such entry of theirs. */
	boolean markRead(String customerId, UUID id) {
		int found = jdbc.sql("""
				update notification.feed_entries set read_at = coalesce(read_at, :now)
				where id = :id and customer_id = :customer""")
			.param("id", id)
			.param("customer", customerId)
			.param("now", Timestamp.from(clock.instant()))
			.update();
		return found == 1;
	}
}
