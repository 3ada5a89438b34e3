package io.orderly.notification.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A customer's in-app feed as the API shows it: pages, the unread count, live entries, marking read. */
@Component
@ConditionalOnModule("notification")
public class NotificationFeed {

	private final InAppFeed feed;

	private final FeedStreams streams;

	private final JdbcClient jdbc;

	NotificationFeed(InAppFeed feed, FeedStreams streams, JdbcClient jdbc) {
		this.feed = feed;
		this.streams = streams;
		this.jdbc = jdbc;
	}

	/** @param nextCursor the id to ask for the next page with; null on the last */
	public record Page(List<InAppFeed.Entry> items, long unread, String nextCursor) {
	}

	@Transactional(readOnly = true)
	public Page page(String customerId, UUID cursor, int limit) {
		List<InAppFeed.Entry> items = feed.page(customerId, cursor, limit);
		return new Page(items, feed.unread(customerId), items.size() == limit ? items.getLast().id() : null);
	}

	/** A live stream of new entries; after {@code lastEventId}'s entry when the client names one it saw. */
	public SseEmitter follow(String customerId, UUID lastEventId) {
		Instant since = lastEventId == null ? null : jdbc.sql("""
				select created_at from notification.feed_entries where id = :id and customer_id = :customer""")
			.param("id", lastEventId)
			.param("customer", customerId)
			.query(java.sql.Timestamp.class)
			.optional()
			.map(java.sql.Timestamp::toInstant)
			.orElse(null);
		return streams.open(customerId, since, lastEventId);
	}

	@Transactional
	public boolean markRead(String customerId, UUID id) {
		return feed.markRead(customerId, id);
	}
}
