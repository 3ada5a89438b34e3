package io.orderly.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kernel's delivery guarantees again, every one of {@link MessagingIntegrationTest}'s, with
 * the whole platform on the Kafka transport (an in-JVM KRaft broker): the same modules, the same
 * consumer code. And what only a broker brings: a publisher that dies after the broker took a
 * batch and before its position moved, and a message too large for the broker.
 */
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers", brokerProperties = {
		// A consumer that dies without leaving the group keeps its partitions this long (as in bin/run-distributed's broker).
		"group.consumer.min.session.timeout.ms=2000", "group.consumer.session.timeout.ms=6000",
		"group.consumer.min.heartbeat.interval.ms=500", "group.consumer.heartbeat.interval.ms=1000" })
@TestPropertySource(properties = { "orderly.messaging.transport=kafka", "orderly.messaging.kafka.partitions=3",
		"spring.kafka.producer.properties.max.request.size=200000" })
class KafkaMessagingIntegrationTest extends MessagingIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	private final String run = "kafka-" + UUID.randomUUID() + "-";

	@Autowired
	MessageSource.Factory sources;

	@Autowired
	MessageCodec codec;

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	KafkaTopics topics;

	@Autowired
	KafkaProperties kafka;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Override
	void rewindRecorderTo(long first) {
		// The group's positions are per topic partition; back to the start, which holds the run's messages.
		jdbc.sql("update platform.kafka_offsets set next_offset = 0 where consumer_group = :group")
			.param("group", Recorder.SUBSCRIPTION)
			.update();
	}

	@Test
	void aPublisherThatDiesAfterTheBrokerTookABatchSendsItAgainAndEachMessageIsAppliedOnce() {
		double duplicatesBefore = duplicates();
		AtomicInteger crashes = new AtomicInteger(2);
		faults.set(point -> {
			if (FaultInjection.PUBLISHER_BEFORE_MARK.equals(point) && crashes.getAndDecrement() > 0) {
				throw new SimulatedCrash();
			}
		});
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			ids.add(transactions.execute(status -> outbox.publish(run + "p", new Recorded(run + "p", ids.size(), false))));
		}
		await().atMost(DEADLINE).until(() -> crashes.get() < 0);
		await().atMost(DEADLINE).until(() -> recorder.effects(run).size() >= 40);
		assertThat(recorder.effects(run)).hasSize(40);
		assertThat(recorder.effects(run).stream().map(Recorder.Effect::sequence).toList()).as("in order").isSorted();
		assertThat(duplicates() - duplicatesBefore).as("the batch sent again reached the subscriber and its inbox dropped it").isPositive();
	}

	@Test
	void aBatchTheBrokerDidNotAcknowledgeIsSentAgainAndNothingIsLost() {
		AtomicInteger unanswered = new AtomicInteger(3);
		faults.set(point -> {
			if (FaultInjection.PUBLISHER_SENDING.equals(point) && unanswered.getAndDecrement() > 0) {
				throw new IllegalStateException("the broker does not answer");
			}
		});
		for (int i = 0; i < 30; i++) {
			int sequence = i;
			transactions.execute(status -> outbox.publish(run + "q" + (sequence % 3), new Recorded(run + "q" + (sequence % 3), sequence, false)));
		}
		await().atMost(DEADLINE).until(() -> unanswered.get() < 0);
		await().atMost(DEADLINE).until(() -> recorder.effects(run + "q").size() >= 30);
		assertThat(recorder.effects(run + "q")).hasSize(30);
	}

	@Test
	void consumersJoiningAndLeavingTheGroupDuringTrafficLoseNothingApplyEachOnceAndKeepEachSubjectsOrder()
			throws Exception {
		// Another process's consumers of the recorder's group: with this process's three, twice the
		// topic's partitions, so some of them get none.
		Subscription subscription = recorder.subscription();
		List<SubscriptionConsumer> joining = new ArrayList<>();
		for (int p = 0; p < subscription.concurrency(); p++) {
			joining.add(new SubscriptionConsumer(subscription, p, sources, jdbcTemplate, transactions, codec, clock,
					properties, metrics, FaultInjection.NONE));
		}
		AtomicBoolean joined = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		int messages = 600;
		for (int i = 0; i < messages; i++) {
			if (i == 150) {
				for (SubscriptionConsumer consumer : joining) {
					threads.add(Thread.ofPlatform().start(() -> {
						try {
							while (joined.get()) {
								try {
									consumer.fetch(Duration.ofMillis(100));
									consumer.poll(-1, false);
								}
								catch (RuntimeException ex) {
									consumer.reload();
								}
							}
						}
						finally {
							consumer.close();
						}
					}));
				}
			}
			if (i == 450) {
				joined.set(false);
			}
			int sequence = i;
			String subject = run + "g" + (i % 20);
			transactions.execute(status -> outbox.publish(subject, new Recorded(subject, sequence, false)));
		}
		joined.set(false);
		for (Thread thread : threads) {
			thread.join(Duration.ofSeconds(30));
		}
		await().atMost(DEADLINE).until(() -> recorder.effects(run + "g").size() >= messages);
		assertEachAppliedOnceInItsSubjectsOrder(run + "g", messages);
	}

	/** The effects of {@code prefix}'s subjects: {@code messages} of them, each message once, each subject in order. */
	private void assertEachAppliedOnceInItsSubjectsOrder(String prefix, int messages) {
		List<Recorder.Effect> effects = recorder.effects(prefix);
		assertThat(effects).hasSize(messages);
		assertThat(effects.stream().map(Recorder.Effect::messageId).distinct()).hasSize(messages);
		effects.stream()
			.collect(java.util.stream.Collectors.groupingBy(Recorder.Effect::subject,
					java.util.stream.Collectors.mapping(Recorder.Effect::sequence, java.util.stream.Collectors.toList())))
			.forEach((subject, sequences) -> assertThat(sequences).as(subject).isSorted());
	}

	@Test
	void aMessageTooLargeForTheBrokerIsDeadLetteredAndTheMessagesAfterItFlow() {
		String huge = run + "x".repeat(300_000);
		UUID tooLarge = transactions.execute(status -> outbox.publish(huge, new Recorded(huge, 1, false)));
		for (int i = 0; i < 10; i++) {
			int sequence = i;
			transactions.execute(status -> outbox.publish(run + "after", new Recorded(run + "after", sequence, false)));
		}
		await().atMost(DEADLINE).until(() -> recorder.effects(run + "after").size() == 10);
		await().atMost(DEADLINE).until(() -> jdbc.sql("""
				select count(*) from platform.dead_letters where message_id = :id and subscription = :publisher""")
			.param("id", tooLarge)
			.param("publisher", KafkaPublisher.NAME)
			.query(Long.class)
			.single() == 1);
		assertThat(recorder.effects(huge)).isEmpty();
	}

	@Test
	void aConsumerProcessKilledMidBatchLeavesItsPartitionsToTheOthersAndNothingIsLostOrAppliedTwice() throws Exception {
		// Another process's consumers of the recorder's group take all its partitions while this
		// process is down; then this process is back, and the other is killed in the middle of a
		// round (its transaction never commits) and gone without leaving the group, as with kill -9:
		// the broker gives its partitions to this process's consumers when its session times out.
		Subscription subscription = recorder.subscription();
		List<KafkaLog> logs = new ArrayList<>();
		// Static members (an instance id each), so that the broker keeps their partitions until their session times
		// out, as it does for a process killed at once, rather than taking them back when they close.
		MessageSource.Factory killable = (name, worker, types, concurrency, partition) -> {
			Map<String, Object> config = new java.util.HashMap<>(KafkaTransport.consumerConfig(kafka, properties));
			config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, (run + worker).replaceAll("[^A-Za-z0-9._-]", "-"));
			KafkaLog source = new KafkaLog(name, name, worker + "-killed", types,
					new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new StringDeserializer()), topics,
					jdbcTemplate, metrics, codec, Duration.ofMillis(100));
			logs.add(source);
			return source;
		};
		AtomicInteger rounds = new AtomicInteger();
		// Its first round with messages commits; every one after it dies before committing.
		FaultInjection killedMidBatch = point -> {
			if (FaultInjection.CONSUMER_BEFORE_ACK.equals(point) && rounds.incrementAndGet() > 1) {
				throw new SimulatedCrash();
			}
		};
		AtomicInteger alive = new AtomicInteger(subscription.concurrency());
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> threads = new ArrayList<>();
		workers.stop();
		try {
			for (int p = 0; p < subscription.concurrency(); p++) {
				SubscriptionConsumer other = new SubscriptionConsumer(subscription, p, killable, jdbcTemplate, transactions,
						codec, clock, properties, metrics, killedMidBatch);
				KafkaLog source = logs.getLast();
				threads.add(Thread.ofPlatform().start(() -> {
					while (!stop.get()) {
						try {
							other.fetch(Duration.ofMillis(100));
							other.poll(-1, false);
						}
						catch (SimulatedCrash crash) {
							source.vanish();
							alive.decrementAndGet();
							return;
						}
						catch (RuntimeException ex) {
							other.reload();
						}
					}
					other.close();
				}));
			}
			// The other process holds the partitions before this one is back.
			await().atMost(DEADLINE).until(() -> logs.stream().allMatch(KafkaLog::assigned));
		}
		finally {
			workers.start();
		}
		int messages = 300;
		for (int i = 0; i < messages; i++) {
			int sequence = i;
			String subject = run + "k" + (i % 20);
			transactions.execute(status -> outbox.publish(subject, new Recorded(subject, sequence, false)));
		}
		await().atMost(DEADLINE).until(() -> alive.get() < subscription.concurrency());
		await().atMost(DEADLINE).until(() -> recorder.effects(run + "k").size() >= messages);
		stop.set(true);
		for (Thread thread : threads) {
			thread.join(Duration.ofSeconds(10));
		}
		assertEachAppliedOnceInItsSubjectsOrder(run + "k", messages);
		assertThat(rounds.get()).as("the other process applied a round, then was killed in the next").isGreaterThan(1);
	}

	@Test
	void aRecordOfASubscribedTypeThatDoesNotReadAsAMessageIsDeadLetteredAndTheSubjectFlowsOn() {
		String subject = run + "unreadable";
		String type = codec.typeOf(Recorded.class);
		try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrapServers), new StringSerializer(), new StringSerializer())) {
			// Written by someone else's producer: the type is ours, the id is not one.
			ProducerRecord<String, String> record = new ProducerRecord<>(topics.topicOf(type), subject,
					codec.write(new Recorded(subject, 0, false)));
			record.headers().add(KafkaLog.TYPE, type.getBytes(StandardCharsets.UTF_8));
			record.headers().add(KafkaLog.ID, "not-an-id".getBytes(StandardCharsets.UTF_8));
			producer.send(record);
		}
		transactions.execute(status -> outbox.publish(subject, new Recorded(subject, 1, false)));
		await().atMost(DEADLINE).until(() -> recorder.effects(subject).size() == 1);
		await().atMost(DEADLINE).until(() -> jdbc.sql("""
				select count(*) from platform.dead_letters
				where subscription = :subscription and subject = :subject and status = 'DEAD' and last_error like 'Unreadable record%'""")
			.param("subscription", Recorder.SUBSCRIPTION)
			.param("subject", subject)
			.query(Long.class)
			.single() == 1);
		assertThat(recorder.effects(subject).getFirst().sequence()).isEqualTo(1);
	}

	@Test
	void positionsBeyondTheEndOfTheirPartitionsAreReadFromWhatThePartitionsHoldNow() {
		// As after the topic was deleted and created again: the group's positions are above what it holds,
		// and records it never read are on the broker already when it seeks.
		String subject = run + "recreated";
		transactions.execute(status -> outbox.publish(subject, new Recorded(subject, 0, false)));
		await().atMost(DEADLINE).until(() -> recorder.effects(subject).size() == 1);
		jdbc.sql("update platform.kafka_offsets set next_offset = next_offset + 1000000 where consumer_group = :group")
			.param("group", Recorder.SUBSCRIPTION)
			.update();
		for (int i = 1; i <= 5; i++) {
			int sequence = i;
			transactions.execute(status -> outbox.publish(subject, new Recorded(subject, sequence, false)));
		}
		await().atMost(DEADLINE).until(() -> jdbc.sql("""
				select coalesce((select position from platform.subscriptions where name = :publisher)
				       >= (select max(position) from platform.outbox where subject = :subject), false)""")
			.param("publisher", KafkaPublisher.NAME)
			.param("subject", subject)
			.query(Boolean.class)
			.single());
		workers.wakeAll();
		await().atMost(DEADLINE).until(() -> recorder.effects(subject).size() >= 6);
		assertThat(recorder.effects(subject).stream().map(Recorder.Effect::sequence).toList()).containsExactly(0L, 1L, 2L,
				3L, 4L, 5L);
	}
}
