package io.orderly.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import java.util.function.Supplier;

import io.orderly.platform.Ids;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the log, in the order the relay sequenced it, to the broker: each message to its
 * family's topic ({@link KafkaTopics}) with its subject as the key. Each batch is one Kafka
 * transaction (consumers read committed records only), so a batch that fails part way is
 * aborted whole and sent again whole, and no later record of it is read ahead of an earlier one.
 * The publisher's position is a row of {@code platform.subscriptions}, moved only after the
 * broker committed the batch; a publisher that dies in between sends the same message ids
 * again, which the consumers' inboxes drop.
 *
 * <p>One process at a time publishes: the one holding the row's lease, renewed with every
 * batch, and taken over by another when it lapses. All processes use one transactional id, so
 * the broker fences a publisher that lost its lease but still sends. No database connection is
 * held while the broker is waited for: the batch is read in one short transaction, sent, and the
 * position moved in another. A message the broker refuses as too large is put in the dead-letter
 * store (under {@value #NAME}, with an error log and the dead-letter count as the alert) and the
 * batch is sent again without it.
 */
final class KafkaPublisher implements LogPublisher {

	private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

	/** The publisher's row in {@code platform.subscriptions}, and its dead letters' subscription. */
	static final String NAME = "kafka-publisher";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Supplier<Producer<String, String>> producers;

	private final KafkaTopics topics;

	private final KafkaTransportProperties properties;

	private final MessagingMetrics metrics;

	private final MessageCodec codec;

	private final Clock clock;

	private final FaultInjection faults;

	/** This process, as the lease names its holder. */
	private final String holder = "publisher-" + Ids.nextString();

	private Producer<String, String> producer;

	KafkaPublisher(JdbcTemplate jdbc, TransactionTemplate transactions, Supplier<Producer<String, String>> producers,
			KafkaTopics topics, KafkaTransportProperties properties, MessagingMetrics metrics, MessageCodec codec,
			Clock clock, FaultInjection faults) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.producers = producers;
		this.topics = topics;
		this.properties = properties;
		this.metrics = metrics;
		this.codec = codec;
		this.clock = clock;
		this.faults = faults;
	}

	private record Batch(long from, List<Message> messages) {
	}

	@Override
	public boolean publishOnce() {
		Batch batch = transactions.execute(status -> {
			long[] lease = lease();
			if (lease == null) {
				return null;
			}
			long from = lease[0];
			metrics.brokerBacklog(lease[1] - from);
			// Those refused as too large are in the dead-letter store: the batch goes without them.
			return new Batch(from, jdbc.query("select " + DatabaseLog.MESSAGE_COLUMNS + """
					 from platform.outbox o
					where position > ? and position <= (select position from platform.log_head)
					  and not exists (select 1 from platform.dead_letters d
					                  where d.message_id = o.message_id and d.subscription = ?)
					order by position limit ?""", (rs, n) -> DatabaseLog.message(codec, rs), from, NAME,
					properties.publishBatchSize()));
		});
		if (batch == null || batch.messages().isEmpty()) {
			return false;
		}
		faults.at(FaultInjection.PUBLISHER_SENDING);
		List<Message> tooLarge = send(batch.messages());
		if (!tooLarge.isEmpty()) {
			transactions.executeWithoutResult(status -> {
				if (stillHeld()) {
					tooLarge.forEach(this::deadLetter);
				}
			});
			return true;
		}
		faults.at(FaultInjection.PUBLISHER_BEFORE_MARK);
		long last = batch.messages().getLast().sequence();
		jdbc.update("""
				update platform.subscriptions
				set position = ?, updated_at = clock_timestamp(),
				    lease_until = clock_timestamp() + make_interval(secs => ?)
				where name = ? and holder = ? and position < ?""", last, leaseSeconds(), NAME, holder, last);
		metrics.brokerPublished(batch.messages().size());
		return batch.messages().size() >= properties.publishBatchSize();
	}

	/**
	 * Takes or renews the lease; the position to publish after and the log's head, or null while
	 * another process holds it.
	 */
	private long[] lease() {
		List<long[]> lease = jdbc.query("""
				update platform.subscriptions
				set holder = ?, lease_until = clock_timestamp() + make_interval(secs => ?)
				where name = ? and (holder = ? or holder is null or lease_until < clock_timestamp())
				returning position, (select position from platform.log_head)""",
				(rs, n) -> new long[] { rs.getLong(1), rs.getLong(2) }, holder, leaseSeconds(), NAME, holder);
		if (!lease.isEmpty()) {
			return lease.getFirst();
		}
		jdbc.update("insert into platform.subscriptions (name, position) values (?, 0) on conflict do nothing", NAME);
		return null;
	}

	/** Renews the lease if this process still holds it; locks the row for the rest of the transaction. */
	private boolean stillHeld() {
		return jdbc.update("""
				update platform.subscriptions set lease_until = clock_timestamp() + make_interval(secs => ?)
				where name = ? and holder = ?""", leaseSeconds(), NAME, holder) == 1;
	}

	private double leaseSeconds() {
		return properties.publisherLease().toMillis() / 1000.0;
	}

	/**
	 * Sends {@code messages} in one Kafka transaction and commits it. Returns those refused as too
	 * large (the transaction is then aborted: nothing of the batch is read); throws on any other
	 * failure (aborted, or the producer closed if it cannot abort).
	 */
	private List<Message> send(List<Message> messages) {
		topics.ensure(messages.stream().map(m -> topics.topicOf(m.type())).toList());
		Producer<String, String> sender = producer();
		List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(messages.size());
		try {
			sender.beginTransaction();
			for (Message message : messages) {
				acknowledgements.add(sender.send(record(message)));
			}
			List<Message> tooLarge = tooLarge(messages, acknowledgements);
			if (!tooLarge.isEmpty()) {
				sender.abortTransaction();
				return tooLarge;
			}
			sender.commitTransaction();
		}
		catch (ProducerFencedException | InvalidProducerEpochException | AuthorizationException ex) {
			// Another process publishes now (it took the lease and the transactional id).
			closeProducer();
			throw ex;
		}
		catch (KafkaException ex) {
			List<Message> tooLarge = tooLarge(messages, acknowledgements);
			abort();
			if (!tooLarge.isEmpty()) {
				return tooLarge;
			}
			throw ex;
		}
		Instant now = clock.instant();
		messages.forEach(message -> metrics.brokerPublishLatency(Duration.between(message.committedAt(), now)));
		return List.of();
	}

	/** The messages whose send failed as too large, among those already answered. */
	private static List<Message> tooLarge(List<Message> messages, List<Future<RecordMetadata>> acknowledgements) {
		List<Message> tooLarge = new ArrayList<>();
		for (int i = 0; i < acknowledgements.size(); i++) {
			Future<RecordMetadata> acknowledgement = acknowledgements.get(i);
			if (acknowledgement.isDone() && acknowledgement.state() == Future.State.FAILED
					&& acknowledgement.exceptionNow() instanceof RecordTooLargeException) {
				tooLarge.add(messages.get(i));
			}
		}
		return tooLarge;
	}

	private void abort() {
		try {
			producer.abortTransaction();
		}
		catch (RuntimeException ex) {
			closeProducer();
		}
	}

	private ProducerRecord<String, String> record(Message message) {
		ProducerRecord<String, String> record = new ProducerRecord<>(topics.topicOf(message.type()), message.subject(),
				message.payload());
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(KafkaLog.ID, message.id().toString());
		headers.put(KafkaLog.TYPE, message.type());
		headers.put(KafkaLog.SOURCE, message.source());
		headers.put(KafkaLog.SUBJECT, message.subject());
		headers.put(KafkaLog.TIME, message.time().toString());
		headers.put(KafkaLog.SPEC_VERSION, Message.SPEC_VERSION);
		headers.put(KafkaLog.POSITION, Long.toString(message.sequence()));
		headers.put(KafkaLog.COMMITTED_AT, message.committedAt().toString());
		headers.put(KafkaLog.CORRELATION_ID, message.correlationId());
		headers.put(KafkaLog.CAUSATION_ID, message.causationId());
		headers.put(KafkaLog.TRACEPARENT, message.traceparent());
		headers.forEach((name, value) -> {
			if (value != null) {
				record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
			}
		});
		return record;
	}

	private void deadLetter(Message message) {
		String error = "The broker refused the message as too large (" + message.payload().length() + " characters of payload)";
		Instant now = clock.instant();
		jdbc.update("""
				insert into platform.dead_letters (id, subscription, message_id, position, type, source, subject, payload,
				    headers, occurred_at, created_at, attempts, last_error, history, status, dead_at)
				select ?, ?, message_id, position, type, source, subject, payload, headers, occurred_at, created_at, 1, ?,
				       jsonb_build_array(jsonb_build_object('attempt', 1, 'at', ?::text, 'error', ?::text)), 'DEAD', ?
				from platform.outbox where message_id = ?
				  and not exists (select 1 from platform.dead_letters where message_id = ? and subscription = ?)""",
				Ids.next(), NAME, error, now.toString(), error, Timestamp.from(now), message.id(), message.id(), NAME);
		metrics.subscription(NAME, 0).deadLettered();
		log.error("The broker refused message {} ({} of {}) as too large; it is in the dead-letter store under {}, "
				+ "and the messages after it flow on", message.id(), message.type(), message.subject(), NAME);
	}

	private Producer<String, String> producer() {
		if (producer == null) {
			Producer<String, String> created = producers.get();
			try {
				// Fences any earlier producer of the transactional id, in whatever process it still runs.
				created.initTransactions();
			}
			catch (RuntimeException ex) {
				created.close(Duration.ZERO);
				throw ex;
			}
			producer = created;
		}
		return producer;
	}

	private void closeProducer() {
		if (producer != null) {
			try {
				producer.close(Duration.ZERO);
			}
			catch (RuntimeException ex) {
				log.debug("Closing a failed producer failed", ex);
			}
			producer = null;
		}
	}

	@Override
	public void close() {
		closeProducer();
	}
}
