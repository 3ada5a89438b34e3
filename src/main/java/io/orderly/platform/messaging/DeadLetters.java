package io.orderly.platform.messaging;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.orderly.platform.web.ProblemException;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dead-letter store: list, inspect, replay (after checking the message can be applied
 * at all) and discard. A replayed message goes back to its subscriber through the retry
 * queue and the inbox, so it takes effect once however often replay is pressed.
 */
@Component
public class DeadLetters {

	private static final String COLUMNS = """
			id, subscription, message_id, position, type, source, subject, payload::text as payload,
			headers::text as headers, occurred_at, attempts, last_error, history::text as history, status, dead_at,
			resolved_at""";

	private final JdbcClient jdbc;

	private final Clock clock;

	private final MessageCodec codec;

	private final Map<String, Subscription> subscriptions;

	/** Whether parked messages are queued per partition of a subscription (the database log) or per subscription. */
	private final boolean parkedPerPartition;

	DeadLetters(JdbcClient jdbc, Clock clock, MessageCodec codec, AllSubscriptions subscriptions,
			MessageSource.Factory sources) {
		this.jdbc = jdbc;
		this.parkedPerPartition = sources.partitionsBySubjectHash();
		this.clock = clock;
		this.codec = codec;
		this.subscriptions = subscriptions.all()
			.stream()
			.collect(Collectors.toMap(Subscription::name, Function.identity()));
	}

	/** Dead letters in {@code status}, oldest first, after {@code after} (a dead letter id) if given. */
	@Transactional(readOnly = true)
	public List<DeadLetter> list(String status, String subscription, UUID after, int limit) {
		return jdbc.sql("select " + COLUMNS + """
				 from platform.dead_letters
				where status = :status and (cast(:subscription as text) is null or subscription = :subscription)
				  and (cast(:after as uuid) is null or id > :after)
				order by id limit :limit""")
			.param("status", status)
			.param("subscription", subscription)
			.param("after", after)
			.param("limit", limit)
			.query(DeadLetters::deadLetter)
			.list();
	}

	@Transactional(readOnly = true)
	public Optional<DeadLetter> find(UUID id) {
		return jdbc.sql("select " + COLUMNS + " from platform.dead_letters where id = :id")
			.param("id", id)
			.query(DeadLetters::deadLetter)
			.optional();
	}

	/**
	 * Sends a dead letter back to its subscriber. Refused (and nothing changes) when it was
	 * already replayed or discarded, when its subscriber no longer exists, or when its payload
	 * does not even read as the type the subscriber expects.
	 */
	@Transactional
	public DeadLetter replay(UUID id) {
		DeadLetter letter = lockDead(id);
		Subscription subscription = subscriptions.get(letter.subscription());
		if (subscription == null) {
			throw new ProblemException(HttpStatus.CONFLICT, "unknown-subscription", "Subscriber not running",
					"No subscriber named " + letter.subscription() + " runs in this deployment.");
		}
		Class<?> payloadType = subscription.payloadTypes().stream()
			.filter(type -> codec.typeOf(type).equals(letter.type()))
			.findFirst()
			.orElseThrow(() -> new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "not-replayable",
					"Message not replayable", letter.subscription() + " no longer handles " + letter.type() + "."));
		try {
			codec.read(letter.payload(), payloadType);
		}
		catch (RuntimeException ex) {
			throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "not-replayable", "Message not replayable",
					"The payload does not read as " + letter.type() + ": " + ex.getMessage());
		}
		jdbc.sql("""
				insert into platform.parked_messages (subscription, message_id, position, type, source, subject, payload,
				    headers, occurred_at, created_at, attempts, next_attempt_at, history)
				select case when :partitions = 1 then subscription
				            else subscription || '#' || ((hashtext(subject) & 2147483647) % :partitions) || '/' || :partitions
				       end,
				       message_id, position, type, source, subject, payload, headers, occurred_at,
				       created_at, 0, :now, '[]'::jsonb
				from platform.dead_letters where id = :id
				on conflict (subscription, message_id) do nothing""")
			.param("id", id)
			.param("partitions", parkedPerPartition ? subscription.concurrency() : 1)
			.param("now", Timestamp.from(clock.instant()))
			.update();
		return resolve(id, "REPLAYED");
	}

	/** Drops a dead letter for good; it stays listed as {@code DISCARDED} for the record. */
	@Transactional
	public DeadLetter discard(UUID id) {
		lockDead(id);
		return resolve(id, "DISCARDED");
	}

	long pending() {
		return jdbc.sql("select count(*) from platform.dead_letters where status = 'DEAD'").query(Long.class).single();
	}

	private DeadLetter lockDead(UUID id) {
		DeadLetter letter = jdbc.sql("select " + COLUMNS + " from platform.dead_letters where id = :id for update")
			.param("id", id)
			.query(DeadLetters::deadLetter)
			.optional()
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"No dead letter " + id + "."));
		if (!"DEAD".equals(letter.status())) {
			throw new ProblemException(HttpStatus.CONFLICT, "already-resolved", "Already resolved",
					"Dead letter " + id + " was already " + letter.status().toLowerCase() + ".");
		}
		return letter;
	}

	private DeadLetter resolve(UUID id, String status) {
		jdbc.sql("update platform.dead_letters set status = :status, resolved_at = :now where id = :id")
			.param("status", status)
			.param("now", Timestamp.from(clock.instant()))
			.param("id", id)
			.update();
		return find(id).orElseThrow();
	}

	private static DeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
		Timestamp resolved = rs.getTimestamp("resolved_at");
		return new DeadLetter(rs.getObject("id", UUID.class), rs.getString("subscription"),
				rs.getObject("message_id", UUID.class), rs.getLong("position"), rs.getString("type"),
				rs.getString("source"), rs.getString("subject"), rs.getString("payload"), rs.getString("headers"),
				rs.getTimestamp("occurred_at").toInstant(), rs.getInt("attempts"), rs.getString("last_error"),
				rs.getString("history"), rs.getString("status"), rs.getTimestamp("dead_at").toInstant(),
				resolved == null ? null : resolved.toInstant());
	}
}
