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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.orderly.platform.Ids;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the log, in the order the relay sequenced it, to the broker: each message to its
 * family's topic ({@link KafkaTopics}) with its subject as the key, from an idempotent producer
 * with {@code acks=all}. Its position is a row of {@code platform.subscriptions}, moved only
 * after the broker acknowledged every message before it, so a publisher that dies in between
 * sends the same message ids again, which the consumers' inboxes drop.
 *
 * <p>One process at a time publishes: the one holding the row's lease, renewed with every
 * batch, and taken over by another when it lapses. No database connection is held while the
 * broker is waited for: the batch is read in one short transaction, sent, and the position
 * moved in another. A message the broker refuses as too large is put in the dead-letter store
 * (under {@value #NAME}, with an error log and the dead-letter count as the alert) and the rest
 * flow on.
 */
final class KafkaPublisher implements LogPublisher {

	private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

	/** The publisher's row in {@code platform.subscriptions}, and its dead letters' subscription. */
	static final String NAME = "kafka-publisher";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final ProducerFactory<String, String> producers;

	private final KafkaTopics topics;

	private final KafkaTransportProperties properties;

	private final MessagingMetrics metrics;

	private final MessageCodec codec;

	private final Clock clock;

	private final FaultInjection faults;

	/** This process, as the lease names its holder. */
	private final String holder = "publisher-" + Ids.nextString();

	private Producer<String, String> producer;

	KafkaPublisher(JdbcTemplate jdbc, TransactionTemplate transactions, ProducerFactory<String, String> producers,
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
			Long from = lease();
			if (from == null) {
				return null;
			}
			metrics.brokerBacklog(jdbc.queryForObject("select position from platform.log_head", Long.class) - from);
			return new Batch(from, jdbc.query("select " + DatabaseLog.MESSAGE_COLUMNS + """
					 from platform.outbox
					where position > ? and position <= (select position from platform.log_head)
					order by position limit ?""", (rs, n) -> DatabaseLog.message(codec, rs), from,
					properties.publishBatchSize()));
		});
		if (batch == null || batch.messages().isEmpty()) {
			return false;
		}
		faults.at(FaultInjection.PUBLISHER_SENDING);
		List<Message> tooLarge = send(batch.messages());
		faults.at(FaultInjection.PUBLISHER_BEFORE_MARK);
		long last = batch.messages().getLast().sequence();
		transactions.executeWithoutResult(status -> {
			tooLarge.forEach(this::deadLetter);
			jdbc.update("""
					update platform.subscriptions
					set position = ?, updated_at = clock_timestamp(),
					    lease_until = clock_timestamp() + make_interval(secs => ?)
					where name = ? and holder = ? and position < ?""", last, leaseSeconds(), NAME, holder, last);
		});
		metrics.brokerPublished(batch.messages().size());
		return batch.messages().size() >= properties.publishBatchSize();
	}

	/** Takes or renews the lease; the position to publish after, or null while another process holds it. */
	private Long lease() {
		List<Long> position = jdbc.queryForList("""
				update platform.subscriptions
				set holder = ?, lease_until = clock_timestamp() + make_interval(secs => ?)
				where name = ? and (holder = ? or holder is null or lease_until < clock_timestamp())
				returning position""", Long.class, holder, leaseSeconds(), NAME, holder);
		if (!position.isEmpty()) {
			return position.getFirst();
		}
		jdbc.update("insert into platform.subscriptions (name, position) values (?, 0) on conflict do nothing", NAME);
		return null;
	}

	private double leaseSeconds() {
		return properties.publisherLease().toMillis() / 1000.0;
	}

	/** Sends {@code messages} and waits for the broker's acknowledgements; returns those refused as too large. */
	private List<Message> send(List<Message> messages) {
		topics.ensure(messages.stream().map(m -> topics.topicOf(m.type())).toList());
		Producer<String, String> sender = producer();
		try {
			List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(messages.size());
			for (Message message : messages) {
				acknowledgements.add(sender.send(record(message)));
			}
			sender.flush();
			List<Message> tooLarge = new ArrayList<>();
			long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
			for (int i = 0; i < messages.size(); i++) {
				try {
					acknowledgements.get(i).get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
					metrics.brokerPublishLatency(Duration.between(messages.get(i).committedAt(), clock.instant()));
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof RecordTooLargeException)) {
						throw new IllegalStateException("The broker did not take message " + messages.get(i).id(), ex.getCause());
					}
					tooLarge.add(messages.get(i));
				}
			}
			return tooLarge;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			closeProducer();
			throw new IllegalStateException(ex);
		}
		catch (TimeoutException | RuntimeException ex) {
			// A producer whose batch failed may still hold later records of it: none of them may go
			// out after the failure, ahead of the earlier ones they follow. A new producer resends all.
			closeProducer();
			throw ex instanceof RuntimeException runtime ? runtime
					: new IllegalStateException("The broker did not acknowledge a batch in " + properties.sendTimeout(), ex);
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
				from platform.outbox where message_id = ?""", Ids.next(), NAME, error, now.toString(), error,
				Timestamp.from(now), message.id());
		metrics.subscription(NAME, 0).deadLettered();
		log.error("The broker refused message {} ({} of {}) as too large; it is in the dead-letter store under {}, "
				+ "and the messages after it flow on", message.id(), message.type(), message.subject(), NAME);
	}

	private Producer<String, String> producer() {
		if (producer == null) {
			producer = producers.createProducer();
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
