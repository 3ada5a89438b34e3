package io.orderly.platform.messaging;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded transport's {@link MessageSource}: the log is the outbox table (rows with a
 * position), and a consumer's position is its row in {@code platform.subscriptions}, locked for
 * the round ({@code skip locked}: another process working for the same consumer makes this one
 * skip the round). Only the consumer's message types are read, and with several partitions only
 * the subjects that hash to its own.
 */
final class DatabaseLog implements MessageSource {

	/** The columns a {@link Message} is read from, in the log and among parked messages alike. */
	static final String MESSAGE_COLUMNS = """
			message_id, position, type, source, subject, payload::text as payload, headers::text as headers,
			occurred_at, created_at""";

	private final JdbcTemplate jdbc;

	private final MessageCodec codec;

	private final String worker;

	private final List<String> types;

	private final String batchQuery;

	// The round's claim, kept between the calls of one round (one thread).
	private long cursor;

	private long head;

	private long acknowledged = -1;

	/** The position this consumer's last committed round moved to (a hint: another process may be further). */
	private volatile long lastCursor = -1;

	DatabaseLog(JdbcTemplate jdbc, MessageCodec codec, String worker, Set<String> types, int concurrency, int partition) {
		this.jdbc = jdbc;
		this.codec = codec;
		this.worker = worker;
		this.types = List.copyOf(types);
		this.batchQuery = "select " + MESSAGE_COLUMNS + " from platform.outbox where position > ? and position <= ? and type in ("
				+ String.join(", ", Collections.nCopies(types.size(), "?")) + ")"
				+ (concurrency > 1 ? " and (hashtext(subject) & 2147483647) % " + concurrency + " = " + partition : "")
				+ " order by position limit ?";
	}

	@Override
	public boolean claim() {
		// Asynchronous commit is safe here: effects, inbox and cursor of a round are lost or kept
		// together, and a lost round is simply delivered again. The relay, which must not lose
		// positions a consumer has seen, commits synchronously, which flushes this round too.
		// The log's head is read in the same statement (one round trip less per round): what the
		// relay commits after it is announced, and read by the next round.
		long[] claimed = jdbc.query("""
				select set_config('synchronous_commit', 'off', true), s.position,
				    (select position from platform.log_head) as head
				from platform.subscriptions s where s.name = ? for update of s skip locked""",
				rs -> rs.next() ? new long[] { rs.getLong(2), rs.getLong(3) } : null, worker);
		if (claimed == null) {
			int created = jdbc.update(
					"insert into platform.subscriptions (name, position) values (?, 0) on conflict do nothing", worker);
			if (created == 0) {
				return false;
			}
			claimed = new long[] { 0L, jdbc.queryForObject("select position from platform.log_head", Long.class) };
		}
		cursor = claimed[0];
		head = claimed[1];
		return true;
	}

	@Override
	public List<Message> read(int limit) {
		List<Object> arguments = new ArrayList<>();
		arguments.add(cursor);
		arguments.add(head);
		arguments.addAll(types);
		arguments.add(limit);
		return jdbc.query(batchQuery, (rs, n) -> message(codec, rs), arguments.toArray());
	}

	@Override
	public long acknowledge(List<Message> batch, int limit) {
		long newCursor = batch.size() < limit ? head : batch.getLast().sequence();
		if (newCursor != cursor) {
			jdbc.update("update platform.subscriptions set position = ?, updated_at = clock_timestamp() where name = ?",
					newCursor, worker);
		}
		acknowledged = newCursor;
		return head - newCursor;
	}

	@Override
	public void committed() {
		lastCursor = acknowledged;
	}

	@Override
	public boolean readUpTo(long announcedHead) {
		return announcedHead >= 0 && announcedHead <= lastCursor;
	}

	/** A message from a row of {@link #MESSAGE_COLUMNS}. */
	static Message message(MessageCodec codec, ResultSet rs) throws SQLException {
		Map<String, String> headers = codec.readHeaders(rs.getString("headers"));
		return new Message(rs.getObject("message_id", UUID.class), rs.getString("type"), rs.getString("source"),
				rs.getString("subject"), rs.getTimestamp("occurred_at").toInstant(), rs.getLong("position"),
				headers.get("correlationId"), headers.get("causationId"), headers.get("traceparent"),
				rs.getString("payload"), rs.getTimestamp("created_at").toInstant());
	}
}
