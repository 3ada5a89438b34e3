package io.orderly.platform.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The Kafka transport's {@link MessageSource}: one consumer of the subscription's consumer group
 * (the group is the subscription; its partitions are spread over the group's consumers in every
 * process). The group's positions are kept in {@code platform.kafka_offsets} and moved in the
 * round's transaction, with the batch's effects and inbox rows, so a crash or a rebalance never
 * applies a message twice nor skips one; on assignment the consumer seeks to them. The broker's
 * committed offsets are a copy, written after the round commits, for its tools.
 *
 * <p>The broker is polled by {@link #fetch} outside any transaction; a round then locks the
 * positions of the partitions it holds messages of, and drops what another consumer of the group
 * (the partition's previous owner, finishing late) has applied meanwhile. Messages of a topic that
 * are not of this subscription's types are passed over and their offsets moved all the same; a
 * record of its types that does not read as a message is dead-lettered.
 */
final class KafkaLog implements MessageSource {

	private static final Logger log = LoggerFactory.getLogger(KafkaLog.class);

	// The CloudEvents Kafka binding's header names, and ours.
	static final String ID = "ce_id";

	static final String TYPE = "ce_type";

	static final String SOURCE = "ce_source";

	static final String SUBJECT = "ce_subject";

	static final String TIME = "ce_time";

	static final String SPEC_VERSION = "ce_specversion";

	static final String POSITION = "orderly_position";

	static final String COMMITTED_AT = "orderly_committed_at";

	static final String CORRELATION_ID = "orderly_correlation_id";

	static final String CAUSATION_ID = "orderly_causation_id";

	static final String TRACEPARENT = "traceparent";

	private final String subscription;

	private final String group;

	private final String worker;

	private final Set<String> types;

	private final List<String> topicNames;

	private final ConsumerFactory<String, String> consumers;

	private final KafkaTopics topics;

	private final JdbcTemplate jdbc;

	private final MessagingMetrics metrics;

	private final MessageCodec codec;

	/** How long a consumer waits for its partitions' ends when it seeks to its positions. */
	private static final Duration ENDS_TIMEOUT = Duration.ofSeconds(5);

	/** How far before its position's last move a group reads a partition again that ends before it. */
	static final Duration AGAIN_MARGIN = Duration.ofMinutes(1);

	/** The longest single poll of the broker; {@link #fetch} waits longer in several. */
	private final long pollSlice;

	/** Created by the consumer thread's first fetch; volatile for {@link #wakeUp} from another thread. */
	private volatile Consumer<String, String> consumer;

	/** Fetched and not yet applied, per partition in offset order. */
	private final List<ConsumerRecord<String, String>> buffer = new ArrayList<>();

	/** The records the current round covers: a prefix of {@link #buffer}. */
	private List<ConsumerRecord<String, String>> round = List.of();

	/** Where this consumer last sought each partition to: a gap after that is the broker's retention, not a rewind. */
	private final Map<TopicPartition, Long> soughtTo = new HashMap<>();

	private volatile boolean reload;

	/** How many partitions the broker gave this consumer (its callbacks name the partitions added or taken). */
	private volatile int partitionsHeld;

	KafkaLog(String subscription, String group, String worker, Set<String> types, ConsumerFactory<String, String> consumers,
			KafkaTopics topics, JdbcTemplate jdbc, MessagingMetrics metrics, MessageCodec codec, Duration pollSlice) {
		this.subscription = subscription;
		this.group = group;
		this.worker = worker;
		this.types = Set.copyOf(types);
		this.topicNames = types.stream().map(topics::topicOf).distinct().sorted().toList();
		this.consumers = consumers;
		this.topics = topics;
		this.jdbc = jdbc;
		this.metrics = metrics;
		this.codec = codec;
		this.pollSlice = pollSlice.toNanos();
	}

	@Override
	public boolean pulls() {
		return true;
	}

	@Override
	public boolean fetch(Duration wait) {
		if (consumer == null) {
			topics.ensure(topicNames);
			consumer = consumers.createConsumer(group, worker.replace('#', '-').replace('/', '-') + "-");
			consumer.subscribe(topicNames, new ConsumerRebalanceListener() {
				@Override
				public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
					forget(partitions);
				}

				@Override
				public void onPartitionsLost(Collection<TopicPartition> partitions) {
					forget(partitions);
				}

				@Override
				public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
					partitionsHeld += partitions.size();
					seekToStored(partitions);
				}
			});
		}
		boolean reseek = reload;
		reload = false;
		try {
			if (reseek) {
				buffer.clear();
				seekToStored(consumer.assignment());
			}
			// In slices: the consumer-protocol client (before Kafka 4.4, KAFKA-20780) sends no new fetch while
			// one poll waits on after the broker answered an empty one, so a long poll could sit out news.
			long deadline = System.nanoTime() + wait.toNanos();
			while (buffer.isEmpty()) {
				long left = deadline - System.nanoTime();
				consumer.poll(Duration.ofNanos(Math.max(0, Math.min(left, pollSlice)))).forEach(buffer::add);
				if (left <= pollSlice || reload) {
					break;
				}
			}
		}
		catch (WakeupException woken) {
			// Stopping, or positions to read again: the caller's loop decides.
			if (reseek) {
				reload = true;
			}
		}
		catch (OffsetOutOfRangeException outOfRange) {
			outOfRange(outOfRange.offsetOutOfRangePartitions());
		}
		catch (NoOffsetForPartitionException noPosition) {
			seekToStored(noPosition.partitions());
		}
		return !buffer.isEmpty();
	}

	/** Whether the broker has given this consumer partitions, as its last poll saw. */
	boolean assigned() {
		return partitionsHeld > 0;
	}

	private void forget(Collection<TopicPartition> partitions) {
		partitionsHeld -= partitions.size();
		buffer.removeIf(record -> partitions.contains(partitionOf(record)));
		partitions.forEach(soughtTo::remove);
	}

	/**
	 * Seeks {@code partitions} to the positions in the database; from the beginning where the
	 * group has none. A position beyond the partition's end means the topic was deleted and created
	 * again, or the broker lost records: see {@link #readAgainFromWhereTheGroupStopped}.
	 */
	private void seekToStored(Collection<TopicPartition> partitions) {
		if (partitions.isEmpty()) {
			return;
		}
		// The positions first, then the ends: a position the group stored can never exceed an end read after it.
		Map<TopicPartition, Long> stored = stored(partitions, false);
		Map<TopicPartition, Long> ends = ends(stored.keySet());
		List<TopicPartition> fresh = new ArrayList<>();
		List<TopicPartition> beyondTheEnd = new ArrayList<>();
		for (TopicPartition partition : partitions) {
			Long offset = stored.get(partition);
			Long end = ends.get(partition);
			if (offset == null) {
				fresh.add(partition);
			}
			else if (end != null && offset > end) {
				beyondTheEnd.add(partition);
			}
			else {
				seek(partition, offset);
			}
		}
		if (!fresh.isEmpty()) {
			// The group's first time on these partitions: from the beginning, and a row to lock from now on,
			// so that two consumers that both believe they own one take their turns.
			Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(fresh);
			fresh.forEach(partition -> {
				seek(partition, beginnings.get(partition));
			});
			store(beginnings, false);
		}
		readAgainFromWhereTheGroupStopped(beyondTheEnd);
	}

	/** The partitions' ends; none (the stored positions are trusted) if the broker does not answer soon. */
	private Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) {
		if (partitions.isEmpty()) {
			return Map.of();
		}
		try {
			return consumer.endOffsets(partitions, ENDS_TIMEOUT);
		}
		catch (org.apache.kafka.common.errors.TimeoutException ex) {
			log.warn("Consumer {} could not learn where {} end; it trusts its stored positions", worker, partitions);
			return Map.of();
		}
	}

	/**
	 * The broker refused a fetch position: below the partition's beginning (its retention removed
	 * records the group had not read, logged as the loss it is) or beyond its end.
	 */
	private void outOfRange(Map<TopicPartition, Long> positions) {
		Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(positions.keySet());
		List<TopicPartition> beyondTheEnd = new ArrayList<>();
		positions.forEach((partition, position) -> {
			Long beginning = beginnings.get(partition);
			if (beginning != null && position < beginning) {
				log.error("Consumer group {} had not read {} from offset {} when the broker's retention removed the records "
						+ "up to {}: they are lost to it. Reading on from there", group, partition, position, beginning);
				seek(partition, beginning);
			}
			else {
				beyondTheEnd.add(partition);
			}
		});
		readAgainFromWhereTheGroupStopped(beyondTheEnd);
	}

	/**
	 * Partitions that end before the group's position: the topic was deleted and created again, or
	 * the broker lost records (an unclean leader election). The offsets no longer say what was read,
	 * the time does: the group reads again from the first record written a margin before its
	 * position last moved ({@link #AGAIN_MARGIN}, for the clocks of the publisher and the database),
	 * or from the end if none is that recent. The inbox drops what was applied before.
	 */
	private void readAgainFromWhereTheGroupStopped(List<TopicPartition> partitions) {
		if (partitions.isEmpty()) {
			return;
		}
		Map<TopicPartition, Long> since = new HashMap<>();
		jdbc.query("""
				select topic, partition, (extract(epoch from updated_at) * 1000)::bigint from platform.kafka_offsets
				where consumer_group = ? and (topic, partition) in (select * from unnest(?::text[], ?::int[]))""",
				rs -> {
					since.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3) - AGAIN_MARGIN.toMillis());
				}, group, topics(partitions), partitionNumbers(partitions));
		partitions.forEach(partition -> since.putIfAbsent(partition, 0L));
		Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(since);
		Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
		Map<TopicPartition, Long> positions = new HashMap<>();
		for (TopicPartition partition : partitions) {
			OffsetAndTimestamp first = found.get(partition);
			long position = first == null ? ends.get(partition) : first.offset();
			log.error("Consumer group {}: {} ends before the group's position (the topic was created again, or the broker "
					+ "lost records); reading it again from offset {}, the first record since {}", group, partition, position,
					Instant.ofEpochMilli(since.get(partition)));
			seek(partition, position);
			positions.put(partition, position);
		}
		store(positions, true);
	}

	/** Reads {@code partition} from {@code offset} on; a stored position below it from now on is a rewind. */
	private void seek(TopicPartition partition, long offset) {
		consumer.seek(partition, offset);
		soughtTo.put(partition, offset);
	}

	private static String[] topics(List<TopicPartition> partitions) {
		return partitions.stream().map(TopicPartition::topic).toArray(String[]::new);
	}

	private static Integer[] partitionNumbers(List<TopicPartition> partitions) {
		return partitions.stream().map(TopicPartition::partition).toArray(Integer[]::new);
	}

	/** Writes positions: all of them ({@code replace}), or only where the group has none yet. */
	private void store(Map<TopicPartition, Long> positions, boolean replace) {
		if (positions.isEmpty()) {
			return;
		}
		List<TopicPartition> partitions = List.copyOf(positions.keySet());
		jdbc.update("""
				insert into platform.kafka_offsets (consumer_group, topic, partition, next_offset)
				select ?, * from unnest(?::text[], ?::int[], ?::bigint[])
				on conflict (consumer_group, topic, partition)"""
				+ (replace ? " do update set next_offset = excluded.next_offset, updated_at = clock_timestamp()"
						: " do nothing"),
				group, topics(partitions), partitionNumbers(partitions),
				partitions.stream().map(positions::get).toArray(Long[]::new));
	}

	private Map<TopicPartition, Long> stored(Collection<TopicPartition> partitions, boolean lock) {
		List<TopicPartition> list = List.copyOf(partitions);
		Map<TopicPartition, Long> stored = new HashMap<>();
		jdbc.query("""
				select topic, partition, next_offset from platform.kafka_offsets
				where consumer_group = ? and (topic, partition) in (select * from unnest(?::text[], ?::int[]))
				order by topic, partition"""
				+ (lock ? " for update" : ""), rs -> {
					stored.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
				}, group, topics(list), partitionNumbers(list));
		return stored;
	}

	@Override
	public boolean claim() {
		round = List.of();
		if (buffer.isEmpty()) {
			return true;
		}
		Map<TopicPartition, Long> firstBuffered = new LinkedHashMap<>();
		buffer.forEach(record -> firstBuffered.putIfAbsent(partitionOf(record), record.offset()));
		Map<TopicPartition, Long> stored = stored(firstBuffered.keySet(), true);
		for (var entry : firstBuffered.entrySet()) {
			TopicPartition partition = entry.getKey();
			Long position = stored.get(partition);
			if (position == null || position.equals(entry.getValue())) {
				continue;
			}
			if (position > entry.getValue()) {
				// Another consumer of the group applied these before this one got the partition.
				buffer.removeIf(record -> partitionOf(record).equals(partition) && record.offset() < position);
			}
			else if (soughtTo.containsKey(partition) && position < soughtTo.get(partition)) {
				// The position went back behind where this consumer reads (an operator rewound it): read again from there.
				log.info("Consumer {} reads {} again from offset {}", worker, partition, position);
				buffer.removeIf(record -> partitionOf(record).equals(partition));
				seek(partition, position);
			}
			// else: what lies between holds no record to read (the markers of the publisher's transactions,
			// aborted batches) or no longer exists (the broker's retention ran out before the group read it).
		}
		return true;
	}

	@Override
	public List<Message> read(int limit) {
		round = List.copyOf(buffer.subList(0, Math.min(limit, buffer.size())));
		List<Message> messages = new ArrayList<>(round.size());
		for (ConsumerRecord<String, String> record : round) {
			String type = header(record, TYPE);
			if (type == null || !types.contains(type)) {
				continue;
			}
			try {
				messages.add(message(record));
			}
			catch (RuntimeException ex) {
				deadLetterUnreadable(record, ex);
			}
		}
		return messages;
	}

	/**
	 * A record of one of this subscription's types that does not read as a message (its headers
	 * were not written by a publisher of ours): not applied, not passed over in silence, but put in
	 * the dead-letter store in the round's transaction, where an operator sees it, and replays it
	 * once its payload reads or discards it.
	 */
	private void deadLetterUnreadable(ConsumerRecord<String, String> record, RuntimeException ex) {
		String where = partitionOf(record) + "@" + record.offset();
		String error = "Unreadable record at " + where + ": " + SubscriptionConsumer.describe(ex);
		UUID id = uuidOr(header(record, ID), UUID.nameUUIDFromBytes(where.getBytes(StandardCharsets.UTF_8)));
		Map<String, String> headers = new LinkedHashMap<>();
		// As text PostgreSQL keeps (no NUL), whatever bytes came.
		record.headers().forEach(header -> headers.put(header.key(),
				header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8).replace('\u0000', '\uFFFD')));
		String payload = record.value() == null ? "null" : record.value().replace('\u0000', '\uFFFD');
		try {
			codec.read(payload, Object.class);
		}
		catch (RuntimeException notJson) {
			payload = codec.write(payload);
		}
		String source = header(record, SOURCE);
		int inserted = jdbc.update("""
				insert into platform.dead_letters (id, subscription, message_id, position, type, source, subject, payload,
				    headers, occurred_at, created_at, attempts, last_error, history, status, dead_at)
				select ?, ?, ?, -1, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, 0, ?, '[]'::jsonb, 'DEAD', clock_timestamp()
				where not exists (select 1 from platform.dead_letters where subscription = ? and message_id = ?)""",
				io.orderly.platform.Ids.next(), subscription, id, header(record, TYPE), source == null ? record.topic() : source,
				record.key() == null ? "" : record.key(), payload, codec.write(headers),
				java.sql.Timestamp.from(Instant.ofEpochMilli(record.timestamp())),
				java.sql.Timestamp.from(Instant.ofEpochMilli(record.timestamp())), error, subscription, id);
		if (inserted == 1) {
			metrics.subscription(subscription, 0).deadLettered();
			log.error("Consumer {} put the record at {} in the dead-letter store: not a message it can read ({})", worker,
					where, ex.toString());
		}
	}

	private static UUID uuidOr(String text, UUID otherwise) {
		try {
			return text == null ? otherwise : UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			return otherwise;
		}
	}

	@Override
	public long acknowledge(List<Message> batch, int limit) {
		if (!round.isEmpty()) {
			store(nextOffsets(round), true);
		}
		long lag = buffer.size() - round.size();
		for (TopicPartition partition : consumer == null ? Set.<TopicPartition>of() : consumer.assignment()) {
			long behind = consumer.currentLag(partition).orElse(0);
			metrics.brokerLag(group, partition.topic(), partition.partition(), behind);
			lag += behind;
		}
		return lag;
	}

	@Override
	public void committed() {
		if (round.isEmpty()) {
			return;
		}
		buffer.subList(0, round.size()).clear();
		Map<TopicPartition, OffsetAndMetadata> copy = new HashMap<>();
		nextOffsets(round).forEach((partition, offset) -> {
			copy.put(partition, new OffsetAndMetadata(offset));
			// Where this consumer now reads from: a stored position below it is a rewind, not a gap.
			soughtTo.put(partition, offset);
		});
		round = List.of();
		// For the broker's tools (lag per group); the database's positions are the ones read back.
		consumer.commitAsync(copy, (offsets, ex) -> {
			if (ex != null) {
				log.debug("Copying consumer {}'s positions to the broker failed", worker, ex);
			}
		});
	}

	@Override
	public boolean readUpTo(long announcedHead) {
		return buffer.isEmpty();
	}

	@Override
	public void reload() {
		reload = true;
		wakeUp();
	}

	@Override
	public void wakeUp() {
		Consumer<String, String> waiting = consumer;
		if (waiting != null) {
			waiting.wakeup();
		}
	}

	@Override
	public void close() {
		close(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
	}

	/**
	 * Ends as a killed process does: the connection dropped without leaving the group, so the
	 * broker keeps this consumer's partitions until its session times out. For the tests of a
	 * consumer process's death.
	 */
	void vanish() {
		close(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
	}

	private void close(CloseOptions.GroupMembershipOperation membership) {
		buffer.clear();
		round = List.of();
		soughtTo.clear();
		if (consumer != null) {
			try {
				consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)).withGroupMembershipOperation(membership));
			}
			catch (RuntimeException ex) {
				log.debug("Closing consumer {} failed", worker, ex);
			}
			consumer = null;
		}
	}

	private static Map<TopicPartition, Long> nextOffsets(List<ConsumerRecord<String, String>> records) {
		Map<TopicPartition, Long> next = new LinkedHashMap<>();
		records.forEach(record -> next.merge(partitionOf(record), record.offset() + 1, Math::max));
		return next;
	}

	private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
		return new TopicPartition(record.topic(), record.partition());
	}

	static Message message(ConsumerRecord<String, String> record) {
		String position = header(record, POSITION);
		String committedAt = header(record, COMMITTED_AT);
		return new Message(UUID.fromString(header(record, ID)), header(record, TYPE), header(record, SOURCE),
				record.key(), Instant.parse(header(record, TIME)), position == null ? -1 : Long.parseLong(position),
				header(record, CORRELATION_ID), header(record, CAUSATION_ID), header(record, TRACEPARENT), record.value(),
				committedAt == null ? Instant.ofEpochMilli(record.timestamp()) : Instant.parse(committedAt));
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		Header header = record.headers().lastHeader(name);
		return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
	}
}
