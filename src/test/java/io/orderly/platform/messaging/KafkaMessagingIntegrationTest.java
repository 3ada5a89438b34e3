package io.orderly.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
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
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
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
		List<Recorder.Effect> effects = recorder.effects(run + "g");
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
}
