package io.orderly.platform.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.Http;
import io.orderly.platform.KernelIntegrationTest;
import io.orderly.platform.KernelTestConfiguration.SwitchableFaults;
import io.orderly.platform.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kernel's delivery guarantees, end to end through the outbox, the relay and the
 * embedded transport: at-least-once delivery, effect once (inbox), per-subject order, no
 * skipped message when transactions commit out of id order, crash safety, retries, dead
 * letters and replay. Each test works on subjects of its own.
 */
@KernelIntegrationTest
class MessagingIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@Autowired
	Recorder recorder;

	@Autowired
	Outbox outbox;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	MutableClock clock;

	@Autowired
	SwitchableFaults faults;

	@Autowired
	MessagingWorkers workers;

	@Autowired
	OutboxRelay relay;

	@Autowired
	MessagingProperties properties;

	@Autowired
	MessagingMetrics metrics;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	private final String run = "run-" + UUID.randomUUID() + "-";

	@AfterEach
	void cleanUp() {
		faults.clear();
		recorder.curePoison(false);
	}

	@Test
	void appliesEveryMessageOnceWhenEachIsDeliveredTwice() {
		for (int i = 0; i < 200; i++) {
			recorder.publish(new Recorded(run + (i % 20), i, false));
		}
		await().atMost(DEADLINE).until(() -> recorder.effects(run).size() == 200);
		double duplicatesBefore = duplicates();

		// Deliver every one of them again, as a lost acknowledgement or a rewound consumer would.
		Map<String, Object> range = jdbc.sql("""
				select min(position) as first, max(position) as last from platform.outbox where starts_with(subject, :run)""")
			.param("run", run)
			.query()
			.singleRow();
		long first = ((Number) range.get("first")).longValue();
		rewindRecorderTo(first);
		workers.wakeAll();

		await().atMost(DEADLINE).until(() -> duplicates() - duplicatesBefore >= 200);
		List<Recorder.Effect> effects = recorder.effects(run);
		assertThat(effects).hasSize(200);
		assertThat(effects.stream().map(Recorder.Effect::messageId).distinct()).hasSize(200);
		assertThat(duplicates() - duplicatesBefore).as("every message was delivered a second time").isGreaterThanOrEqualTo(200);
	}

	@Test
	void consumesEveryEventInOrderPerSubjectWhenTransactionsCommitOutOfIdOrder() throws Exception {
		int publishers = 16;
		int rounds = 20;
		List<Long> commitOrder = Collections.synchronizedList(new ArrayList<>());
		ExecutorService pool = Executors.newFixedThreadPool(publishers);
		try {
			for (int round = 0; round < rounds; round++) {
				CyclicBarrier allInserted = new CyclicBarrier(publishers);
				List<Integer> ranks = new ArrayList<>();
				for (int i = 0; i < publishers; i++) {
					ranks.add(i);
				}
				Collections.shuffle(ranks);
				CountDownLatch[] turns = new CountDownLatch[publishers + 1];
				for (int i = 0; i <= publishers; i++) {
					turns[i] = new CountDownLatch(1);
				}
				turns[0].countDown();
				List<Future<?>> done = new ArrayList<>();
				int r = round;
				for (int p = 0; p < publishers; p++) {
					int publisher = p;
					int rank = ranks.get(p);
					done.add(pool.submit(() -> {
						long[] outboxId = new long[1];
						transactions.executeWithoutResult(status -> {
							UUID id = outbox.publish(subjectOf(publisher, r), new Recorded(subjectOf(publisher, r), r, false));
							outboxId[0] = jdbc.sql("select id from platform.outbox where message_id = :id")
								.param("id", id)
								.query(Long.class)
								.single();
							awaitQuietly(allInserted);
							awaitQuietly(turns[rank]);
						});
						commitOrder.add(outboxId[0]);
						turns[rank + 1].countDown();
						return null;
					}));
				}
				for (Future<?> future : done) {
					future.get();
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(inversions(commitOrder)).as("transactions committed out of id order").isPositive();

		await().atMost(DEADLINE).until(() -> recorder.effects(run).size() >= publishers * rounds);
		List<Recorder.Effect> effects = recorder.effects(run);
		assertThat(effects).hasSize(publishers * rounds);
		Map<String, List<Long>> sequencesBySubject = effects.stream()
			.collect(Collectors.groupingBy(Recorder.Effect::subject,
					Collectors.mapping(Recorder.Effect::sequence, Collectors.toList())));
		sequencesBySubject.forEach((subject, sequences) -> assertThat(sequences).as(subject).isSorted());
	}

	@Test
	void redeliversAndAppliesOnceAfterACrashBetweenConsumingAndAcknowledging() {
		AtomicInteger crashes = new AtomicInteger(3);
		faults.set(point -> {
			if (FaultInjection.CONSUMER_BEFORE_ACK.equals(point) && crashes.getAndDecrement() > 0) {
				throw new SimulatedCrash();
			}
		});
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			ids.add(publish(new Recorded(run + (i % 5), i, false)));
		}
		await().atMost(DEADLINE).until(() -> crashes.get() < 0);

		// The process "restarts": its workers stop and start again.
		workers.stop();
		for (int i = 50; i < 60; i++) {
			ids.add(publish(new Recorded(run + (i % 5), i, false)));
		}
		workers.start();

		await().atMost(DEADLINE).until(() -> recorder.effects(run).size() >= 60);
		List<Recorder.Effect> effects = recorder.effects(run);
		assertThat(effects).hasSize(60);
		assertThat(effects.stream().map(Recorder.Effect::messageId).distinct()).hasSize(60);
		assertThat(ids.stream().mapToInt(id -> recorder.deliveriesOf(id.toString())).max().orElseThrow())
			.as("some message was delivered again after a crash")
			.isGreaterThan(1);
	}

	@Test
	void deadLettersAPoisonMessageAfterMaxAttemptsWhileOtherSubjectsFlowAndReplaysItOnce() {
		String poisoned = run + "poisoned";
		UUID poison = publish(new Recorded(poisoned, 1, true));
		publish(new Recorded(poisoned, 2, false));
		for (int i = 0; i < 30; i++) {
			publish(new Recorded(run + "healthy-" + (i % 3), i, false));
		}

		// Retries wait for the clock (an hour of backoff), so everything else must pass the poison.
		await().atMost(DEADLINE).until(() -> recorder.effects(run + "healthy-").size() == 30);
		assertThat(recorder.effects(poisoned)).as("the poisoned subject waits behind its head").isEmpty();
		assertThat(deadLetter(poison)).isNull();

		// Attempts as the retry queue counts them (a failing first delivery is tried twice in one round:
		// fast, then carefully, and counted once), each made due by moving the clock past its backoff.
		await().atMost(DEADLINE).until(() -> attemptsOf(poison) >= 1);
		for (int attempt = 2; attempt <= properties.maxAttempts(); attempt++) {
			int expected = attempt;
			clock.advance(Duration.ofHours(3));
			workers.wakeAll();
			await().atMost(DEADLINE).until(() -> attemptsOf(poison) >= expected);
		}
		await().atMost(DEADLINE).until(() -> deadLetter(poison) != null);
		// With the head dead-lettered, the next message of the subject goes through.
		await().atMost(DEADLINE).until(() -> recorder.effects(poisoned).size() == 1);
		assertThat(recorder.effects(poisoned).getFirst().sequence()).isEqualTo(2);

		Http http = new Http(port);
		String deadLetterId = deadLetter(poison);
		Http.Response inspected = http.get("/v1/admin/dead-letters/" + deadLetterId);
		assertThat(inspected.status()).isEqualTo(200);
		assertThat(inspected.json().get("attempts").asInt()).isEqualTo(properties.maxAttempts());
		assertThat(inspected.json().get("history").size()).isEqualTo(properties.maxAttempts());
		assertThat(inspected.json().get("lastError").asString()).contains("poison");
		assertThat(http.get("/v1/admin/dead-letters?subscription=" + Recorder.SUBSCRIPTION).body()).contains(deadLetterId);

		recorder.curePoison(true);
		assertThat(http.post("/v1/admin/dead-letters/" + deadLetterId + "/replay", "", Map.of()).status()).isEqualTo(202);
		assertThat(http.post("/v1/admin/dead-letters/" + deadLetterId + "/replay", "", Map.of()).status()).isEqualTo(409);
		workers.wakeAll();
		await().atMost(DEADLINE).until(() -> recorder.effects(poisoned).size() == 2);
		assertThat(http.get("/v1/admin/dead-letters/" + deadLetterId).json().get("status").asString())
			.isEqualTo("REPLAYED");
		assertThat(recorder.effects(poisoned).stream().filter(e -> e.messageId().equals(poison.toString())))
			.hasSize(1);
	}

	@Test
	void anUnprocessableMessageIsDeadLetteredAtItsFirstFailureAndItsSubjectGoesOn() {
		String subject = run + Recorder.UNPROCESSABLE;
		UUID unprocessable = publish(new Recorded(subject, 1, true));
		publish(new Recorded(subject, 2, false));

		// No clock moves: a retry would wait an hour of backoff, past the deadline.
		await().atMost(DEADLINE).until(() -> deadLetter(unprocessable) != null);
		await().atMost(DEADLINE).until(() -> recorder.effects(subject).size() == 1);
		assertThat(recorder.effects(subject).getFirst().sequence()).isEqualTo(2);
		JsonNode dead = new Http(port).get("/v1/admin/dead-letters/" + deadLetter(unprocessable)).json();
		assertThat(dead.get("attempts").asInt()).isEqualTo(1);
		assertThat(dead.get("history").size()).isEqualTo(1);
		assertThat(dead.get("lastError").asString()).contains("unprocessable");
	}

	@Test
	void twoRelaysTogetherLoseNothingAndApplyEverythingOnce() throws Exception {
		OutboxRelay second = new OutboxRelay(jdbc, transactions, properties, metrics, FaultInjection.NONE);
		OutboxRelay third = new OutboxRelay(jdbc, transactions, properties, metrics, FaultInjection.NONE);
		AtomicBoolean publishing = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(10);
		ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
		try {
			for (OutboxRelay extra : List.of(second, third)) {
				pool.submit(() -> {
					while (publishing.get()) {
						try {
							extra.relayOnce();
						}
						catch (RuntimeException ex) {
							failures.add(ex);
						}
					}
				});
			}
			List<Future<?>> publishers = new ArrayList<>();
			for (int p = 0; p < 8; p++) {
				int publisher = p;
				publishers.add(pool.submit(() -> {
					for (int i = 0; i < 60; i++) {
						publish(new Recorded(run + publisher, i, false));
					}
					return null;
				}));
			}
			for (Future<?> publisher : publishers) {
				publisher.get();
			}
		}
		finally {
			publishing.set(false);
			pool.shutdown();
		}
		await().atMost(DEADLINE).until(() -> recorder.effects(run).size() >= 480);
		assertThat(failures).isEmpty();
		List<Recorder.Effect> effects = recorder.effects(run);
		assertThat(effects).hasSize(480);
		assertThat(effects.stream().map(Recorder.Effect::messageId).distinct()).hasSize(480);
		Map<String, Object> log = jdbc.sql("""
				select count(*) as published, min(position) as first, max(position) as last,
				       (select position from platform.log_head) as head
				from platform.outbox where position is not null""").query().singleRow();
		long published = ((Number) log.get("published")).longValue();
		long firstPosition = ((Number) log.get("first")).longValue();
		long last = ((Number) log.get("last")).longValue();
		assertThat(last - firstPosition + 1).as("log positions have no gaps").isEqualTo(published);
		assertThat(((Number) log.get("head")).longValue()).isEqualTo(last);
	}

	/**
	 * Moves the recorder subscription's position back to before log position {@code first}, as an
	 * operator rewinding it would; the transport's own positions.
	 */
	void rewindRecorderTo(long first) {
		jdbc.sql("update platform.subscriptions set position = least(position, :position) where starts_with(name, :name)")
			.param("position", first - 1)
			.param("name", Recorder.SUBSCRIPTION)
			.update();
	}

	private UUID publish(Recorded event) {
		return transactions.execute(status -> outbox.publish(event.subject(), event));
	}

	private String subjectOf(int publisher, int round) {
		return run + "p" + publisher + "-k" + (round % 3);
	}

	/** The attempts the retry queue or, once given up, the dead-letter store counts for a message. */
	private int attemptsOf(UUID messageId) {
		return jdbc.sql("""
				select coalesce((select max(attempts) from platform.parked_messages where message_id = :id),
				                (select max(attempts) from platform.dead_letters where message_id = :id), 0)""")
			.param("id", messageId)
			.query(Integer.class)
			.single();
	}

	private String deadLetter(UUID messageId) {
		return jdbc.sql("select id::text from platform.dead_letters where message_id = :id")
			.param("id", messageId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	double duplicates() {
		return meters.find("orderly.messaging.duplicates")
			.tag("subscription", Recorder.SUBSCRIPTION)
			.counters()
			.stream()
			.mapToDouble(io.micrometer.core.instrument.Counter::count)
			.sum();
	}

	private static long inversions(List<Long> commitOrder) {
		long inversions = 0;
		for (int i = 1; i < commitOrder.size(); i++) {
			if (commitOrder.get(i) < commitOrder.get(i - 1)) {
				inversions++;
			}
		}
		return inversions;
	}

	private static void awaitQuietly(CyclicBarrier barrier) {
		try {
			barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			if (!latch.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
				throw new IllegalStateException("timed out waiting for the commit turn");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Stands for the process dying: an Error no handler code catches. */
	static final class SimulatedCrash extends Error {

		SimulatedCrash() {
			super("simulated crash");
		}
	}
}
