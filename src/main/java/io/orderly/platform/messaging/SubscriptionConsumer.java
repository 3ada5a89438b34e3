package io.orderly.platform.messaging;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the log to one subscription (or one partition of it): the half of a consumer that
 * every transport shares, reading through the transport's {@link MessageSource}. Each round is
 * one transaction that claims the consumer's position (so one process at a time works for it),
 * retries the parked messages that are due, applies the next batch of new messages and
 * acknowledges it: effects, inbox entries and acknowledgement commit together or not at all.
 *
 * <p>A round first applies the batch without savepoints. If a handler throws, the round is
 * rolled back and done again carefully, one savepoint per message, and the failing message
 * is parked for retry with the messages of its subject that follow it.
 */
final class SubscriptionConsumer {

	private static final Logger log = LoggerFactory.getLogger(SubscriptionConsumer.class);

	/** A parked message {@code p} that heads its subject's queue: only heads are retried, the rest wait for them. */
	private static final String SUBJECT_HEAD = """
			not exists (select 1 from platform.parked_messages earlier
			            where earlier.subscription = p.subscription and earlier.subject = p.subject and earlier.id < p.id)""";

	private final Subscription subscription;

	private final int partition;

	/** The consumer's name (its thread, metrics and, in the database log, its cursor): the subscription, or one partition of it. */
	private final String worker;

	/** Where its messages wait for a retry: its partition's queue, or the subscription's where a broker moves partitions. */
	private final String parkedUnder;

	/** Whether several consumers (of this and other processes) park and retry in one queue. */
	private final boolean parkedShared;

	private final Map<String, Class<?>> payloadTypes = new HashMap<>();

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final TransactionTemplate savepoints;

	private final MessageCodec codec;

	private final Clock clock;

	private final MessagingProperties properties;

	private final Backoff backoff;

	private final MessagingMetrics.PerSubscription metrics;

	private final FaultInjection faults;

	private final MessageSource source;

	SubscriptionConsumer(Subscription subscription, int partition, MessageSource.Factory sources, JdbcTemplate jdbc,
			TransactionTemplate transactions, MessageCodec codec, Clock clock, MessagingProperties properties,
			MessagingMetrics metrics, FaultInjection faults) {
		this.subscription = subscription;
		this.partition = partition;
		this.worker = workerName(subscription, partition);
		subscription.payloadTypes().forEach(type -> payloadTypes.put(codec.typeOf(type), type));
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.savepoints = new TransactionTemplate(transactions.getTransactionManager());
		this.savepoints.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
		this.codec = codec;
		this.clock = clock;
		this.properties = properties;
		this.backoff = new Backoff(properties.backoffBase(), properties.backoffMax());
		this.metrics = metrics.subscription(subscription.name(), partition);
		this.faults = faults;
		this.source = sources.open(subscription.name(), worker, payloadTypes.keySet(), subscription.concurrency(), partition);
		this.parkedShared = !sources.partitionsBySubjectHash();
		this.parkedUnder = parkedShared ? subscription.name() : worker;
	}

	String name() {
		return worker;
	}

	/** Whether a message of this topic is this consumer's: one of its types, in its partition. */
	boolean wants(Topic topic) {
		return payloadTypes.containsKey(topic.type())
				&& (subscription.concurrency() == 1 || topic.subjectHash() % subscription.concurrency() == partition);
	}

	/** Whether any of {@code topics} is this consumer's; null topics (not announced) may all be. */
	boolean wantsAny(java.util.Collection<Topic> topics) {
		return topics == null || topics.stream().anyMatch(this::wants);
	}

	/** A partition's name, as its cursor row and parked messages carry it. */
	static String workerName(Subscription subscription, int partition) {
		return subscription.concurrency() == 1 ? subscription.name()
				: subscription.name() + "#" + partition + "/" + subscription.concurrency();
	}

	/** Whether this consumer's transport is polled ({@link MessageSource#pulls}) rather than woken. */
	boolean pulls() {
		return source.pulls();
	}

	/** Waits up to {@code wait} for messages from a polled transport, outside any transaction; true if some wait. */
	boolean fetch(Duration wait) {
		return source.fetch(wait);
	}

	/** Positions may have been moved in the store: the next round starts from there. */
	void reload() {
		source.reload();
	}

	/** Ends a wait in {@link #fetch} at once (from another thread: the workers are stopping). */
	void wakeUp() {
		source.wakeUp();
	}

	void close() {
		source.close();
	}

	/** What a round found; {@code moreWork} asks for another round at once. */
	record Round(boolean moreWork, Instant nextRetryAt) {

		static final Round BUSY = new Round(false, null);
	}

	/** When parked messages must be looked at next (the earliest retry, and at least every idle wait). */
	private volatile Instant parkedCheckDue = Instant.MIN;

	/** Whether the last look found parked messages (their subjects block new messages). */
	private volatile boolean parkedExist = true;

	/**
	 * Does a round unless there is surely nothing to do: the log head (from the relay's
	 * notification) is not past what this consumer has read and no retry is due. {@code force}
	 * does it anyway (the idle fallback).
	 */
	Round poll(long knownHead, boolean force) {
		if (!force && source.readUpTo(knownHead) && clock.instant().isBefore(parkedCheckDue)) {
			return new Round(false, parkedCheckDue);
		}
		Round round;
		try {
			round = transactions.execute(status -> round(false));
		}
		catch (HandlerFailed failed) {
			round = transactions.execute(status -> round(true));
		}
		if (round != Round.BUSY) {
			source.committed();
		}
		return round;
	}

	private Round round(boolean careful) {
		if (!source.claim()) {
			return Round.BUSY;
		}
		Instant now = clock.instant();
		boolean lookAtParked = !now.isBefore(parkedCheckDue);
		boolean retriedAny = lookAtParked && retryDueHeads(now);

		List<Message> batch = source.read(properties.consumerBatchSize());
		if (!batch.isEmpty()) {
			apply(batch, now, careful);
		}
		long lag = source.acknowledge(batch, properties.consumerBatchSize());
		if (!batch.isEmpty()) {
			faults.at(FaultInjection.CONSUMER_BEFORE_ACK);
		}
		metrics.lag(lag);
		if (lookAtParked || parkedThisRound) {
			// Only a subject's head is retried: the messages parked behind it wait for it, not for their own time.
			Map<String, Object> parked = jdbc.queryForMap("""
					select exists (select 1 from platform.parked_messages where subscription = ?) as any,
					       (select min(next_attempt_at) from platform.parked_messages p where subscription = ? and %s)
					         as next_retry""".formatted(SUBJECT_HEAD), parkedUnder, parkedUnder);
			Timestamp nextRetry = (Timestamp) parked.get("next_retry");
			parkedExist = (Boolean) parked.get("any");
			// Parked elsewhere (another process's round, a replay): seen within the idle wait, as news is.
			Instant recheck = now.plus(properties.idleWait());
			parkedCheckDue = nextRetry != null && nextRetry.toInstant().isBefore(recheck) ? nextRetry.toInstant() : recheck;
		}
		parkedThisRound = false;
		return new Round(retriedAny || batch.size() >= properties.consumerBatchSize(), parkedCheckDue);
	}

	/** Set when this round parked a message, so the round ends by looking at the parked messages. */
	private boolean parkedThisRound;

	private void apply(List<Message> batch, Instant now, boolean careful) {
		Set<String> blockedSubjects = blockedSubjects(batch);
		Set<UUID> fresh = careful ? Set.of() : recordInInbox(batch, blockedSubjects);
		for (Message message : batch) {
			if (blockedSubjects.contains(message.subject())) {
				park(message, now, null);
				continue;
			}
			if (!careful) {
				// Removed once applied: a broker may hold a message twice in one batch (sent again by a publisher).
				if (!fresh.remove(message.id())) {
					metrics.duplicate();
					continue;
				}
				try {
					handle(message);
				}
				catch (RuntimeException ex) {
					throw new HandlerFailed(ex);
				}
				continue;
			}
			Failure failure = applyWithSavepoint(message);
			if (failure == null) {
				continue;
			}
			park(message, now, failure.error());
			if (failure.unprocessable()) {
				deadLetterAtOnce(message, failure.error(), now);
			}
			else {
				blockedSubjects.add(message.subject());
			}
		}
	}

	/**
	 * The subjects of {@code batch} with messages parked before it. A consumer that alone parks
	 * and retries its messages knows whether any are parked; where the queue is the whole
	 * subscription's (a broker transport), another consumer may have parked one a moment ago, so
	 * the queue is always asked, for the batch's subjects only. The transport's claim has made
	 * sure that a consumer that parked a message of this batch's partitions has committed.
	 */
	private Set<String> blockedSubjects(List<Message> batch) {
		if (!parkedShared) {
			return !parkedExist ? new HashSet<>() : new HashSet<>(jdbc.queryForList(
					"select distinct subject from platform.parked_messages where subscription = ?", String.class, parkedUnder));
		}
		String[] subjects = batch.stream().map(Message::subject).distinct().toArray(String[]::new);
		return new HashSet<>(jdbc.queryForList(
				"select distinct subject from platform.parked_messages where subscription = ? and subject = any(?::text[])",
				String.class, parkedUnder, subjects));
	}

	/** Inserts the batch's ids into the inbox at once; returns those not seen before. */
	private Set<UUID> recordInInbox(List<Message> batch, Set<String> blockedSubjects) {
		List<UUID> ids = batch.stream().filter(m -> !blockedSubjects.contains(m.subject())).map(Message::id).toList();
		if (ids.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(jdbc.execute((java.sql.Connection connection) -> {
			try (var insert = connection.prepareStatement("""
					insert into platform.inbox (subscription, message_id)
					select ?, unnest(?::uuid[]) on conflict do nothing returning message_id""")) {
				insert.setString(1, subscription.name());
				insert.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
				List<UUID> inserted = new ArrayList<>(ids.size());
				try (ResultSet rows = insert.executeQuery()) {
					while (rows.next()) {
						inserted.add(rows.getObject(1, UUID.class));
					}
				}
				return inserted;
			}
		}));
	}

	/** Why a message failed, and whether it can never be applied ({@link Unprocessable}). */
	private record Failure(String error, boolean unprocessable) {
	}

	/** Applies one message inside a savepoint; returns the failure, or null on success. */
	private Failure applyWithSavepoint(Message message) {
		try {
			savepoints.executeWithoutResult(status -> {
				int fresh = jdbc.update(
						"insert into platform.inbox (subscription, message_id) values (?, ?) on conflict do nothing",
						subscription.name(), message.id());
				if (fresh == 0) {
					metrics.duplicate();
					return;
				}
				handle(message);
			});
			return null;
		}
		catch (RuntimeException ex) {
			log.warn("Subscription {} failed to apply message {} ({} of {})", subscription.name(), message.id(),
					message.type(), message.subject(), ex);
			return new Failure(describe(ex), ex instanceof Unprocessable);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void handle(Message message) {
		Class<?> type = payloadTypes.get(message.type());
		Subscription.Handler handler = subscription.handlers().get(type);
		Object payload = codec.read(message.payload(), type);
		MessageContext.handling(message);
		try {
			handler.handle(payload, message);
		}
		finally {
			MessageContext.done();
		}
		metrics.consumed(Duration.between(message.committedAt(), clock.instant()));
	}

	/**
	 * Retries the parked messages that are due and head their subject's queue. Where several
	 * consumers share the queue (a broker transport), each takes the heads no other round holds.
	 */
	private boolean retryDueHeads(Instant now) {
		List<Parked> due = jdbc.query("""
				select id, attempts, %s from platform.parked_messages p
				where subscription = ? and next_attempt_at <= ? and %s
				order by id limit ? for update of p skip locked""".formatted(DatabaseLog.MESSAGE_COLUMNS, SUBJECT_HEAD),
				(rs, n) -> new Parked(rs.getLong("id"), rs.getInt("attempts"), DatabaseLog.message(codec, rs)), parkedUnder,
				Timestamp.from(now), properties.consumerBatchSize());
		boolean progressed = false;
		for (Parked parked : due) {
			if (parked.attempts() > 0) {
				metrics.retried();
			}
			Failure failure = applyWithSavepoint(parked.message());
			if (failure == null) {
				jdbc.update("delete from platform.parked_messages where id = ?", parked.id());
				progressed = true;
				continue;
			}
			String error = failure.error();
			int attempts = parked.attempts() + 1;
			if (failure.unprocessable() || attempts >= properties.maxAttempts()) {
				deadLetter(parked, attempts, error, now);
				progressed = true;
			}
			else {
				jdbc.update("""
						update platform.parked_messages
						set attempts = ?, next_attempt_at = ?, last_error = ?,
						    history = history || jsonb_build_array(jsonb_build_object('attempt', ?::int, 'at', ?::text, 'error', ?::text))
						where id = ?""", attempts, Timestamp.from(now.plus(backoff.afterAttempt(attempts))), error,
						attempts, now.toString(), error, parked.id());
			}
		}
		return progressed;
	}

	private void park(Message message, Instant now, String error) {
		parkedThisRound = true;
		parkedExist = true;
		boolean failed = error != null;
		String history = failed ? codec.write(List.of(Map.of("attempt", 1, "at", now.toString(), "error", error))) : "[]";
		jdbc.update("""
				insert into platform.parked_messages (subscription, message_id, position, type, source, subject, payload,
				    headers, occurred_at, created_at, attempts, next_attempt_at, last_error, history)
				values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb)
				on conflict (subscription, message_id) do nothing""", parkedUnder, message.id(),
				message.sequence(), message.type(), message.source(), message.subject(), message.payload(),
				headersOf(message), Timestamp.from(message.time()), Timestamp.from(message.committedAt()),
				failed ? 1 : 0, Timestamp.from(failed ? now.plus(backoff.afterAttempt(1)) : now), error, history);
	}

	/** Moves a message just parked after its first failure to the dead letters: retrying cannot help. */
	private void deadLetterAtOnce(Message message, String error, Instant now) {
		Long id = jdbc.queryForObject("select id from platform.parked_messages where subscription = ? and message_id = ?",
				Long.class, parkedUnder, message.id());
		// The history already holds this first attempt; the dead letter records it as the last.
		jdbc.update("update platform.parked_messages set history = '[]'::jsonb where id = ?", id);
		deadLetter(new Parked(id, 0, message), 1, error, now);
	}

	private void deadLetter(Parked parked, int attempts, String error, Instant now) {
		Message message = parked.message();
		jdbc.update("""
				insert into platform.dead_letters (id, subscription, message_id, position, type, source, subject, payload,
				    headers, occurred_at, created_at, attempts, last_error, history, status, dead_at)
				select ?, ?, message_id, position, type, source, subject, payload, headers, occurred_at,
				       created_at, ?, ?,
				       history || jsonb_build_array(jsonb_build_object('attempt', ?::int, 'at', ?::text, 'error', ?::text)), 'DEAD', ?
				from platform.parked_messages where id = ?""", io.orderly.platform.Ids.next(), subscription.name(), attempts, error, attempts,
				now.toString(), error, Timestamp.from(now), parked.id());
		jdbc.update("delete from platform.parked_messages where id = ?", parked.id());
		metrics.deadLettered();
		log.error("Subscription {} gave up on message {} ({} of {}) after {} attempts; it is in the dead-letter store",
				subscription.name(), message.id(), message.type(), message.subject(), attempts);
	}

	private String headersOf(Message message) {
		Map<String, String> headers = new HashMap<>();
		if (message.correlationId() != null) {
			headers.put("correlationId", message.correlationId());
		}
		if (message.causationId() != null) {
			headers.put("causationId", message.causationId());
		}
		if (message.traceparent() != null) {
			headers.put("traceparent", message.traceparent());
		}
		return codec.write(headers);
	}

	static String describe(Throwable ex) {
		String text = ex.getClass().getName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
		return text.length() > 2000 ? text.substring(0, 2000) : text;
	}

	private record Parked(long id, int attempts, Message message) {
	}

	/** A handler threw during a fast round; the round is redone with savepoints. */
	private static final class HandlerFailed extends RuntimeException {

		HandlerFailed(RuntimeException cause) {
			super(cause);
		}
	}
}
