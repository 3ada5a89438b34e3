package io.orderly.platform.messaging;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.orderly.OrderlyApplication;
import io.orderly.platform.KernelIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages move on wake-ups alone: with an idle wait of an hour, nothing but a producer's
 * commit (waking this process's relay, or from a process that runs none, the relays elsewhere)
 * and the relay's announcement of what it published
 * (waking the consumers whose types and partitions it names) moves them, so a lost wake-up
 * shows as a message still waiting at the deadline.
 */
@KernelIntegrationTest
@TestPropertySource(properties = "orderly.messaging.idle-wait=1h")
class MessagingWakeUpIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@Autowired
	Recorder recorder;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	OutboxRelay relay;

	@Autowired
	MessageCodec codec;

	@Autowired
	HikariDataSource dataSource;

	private final String run = "wake-" + UUID.randomUUID() + "-";

	@Test
	void aCommittedMessageReachesItsConsumerInEveryPartitionWithoutPolling() {
		// One at a time, so that each relay batch names one topic and must wake the right partition.
		for (int i = 0; i < 30; i++) {
			recorder.publish(new Recorded(run + i, i, false));
			int published = i + 1;
			await().atMost(DEADLINE).until(() -> recorder.effects(run).size() == published);
		}

		assertThat(jdbc.sql("""
				select count(distinct (hashtext(subject) & 2147483647) % 3) from platform.outbox where starts_with(subject, :run)""")
			.param("run", run)
			.query(Integer.class)
			.single()).as("the subjects fall in every partition").isEqualTo(3);
	}

	@Test
	void anotherProcessesRelayWakesTheConsumersHereWithItsAnnouncement() {
		// Rows another process committed (its producers woke its own relay, not this one's) ...
		for (int i = 0; i < 10; i++) {
			Recorded event = new Recorded(run + "far-" + i, i, false);
			jdbc.sql("""
					insert into platform.outbox (message_id, type, source, subject, payload, headers, occurred_at)
					values (:id, :type, '/test', :subject, cast(:payload as jsonb), '{}', :time)""")
				.param("id", UUID.randomUUID())
				.param("type", codec.typeOf(Recorded.class))
				.param("subject", event.subject())
				.param("payload", codec.write(event))
				.param("time", Timestamp.from(Instant.now()))
				.update();
		}
		// ... published by that process's relay, which announces them to every process.
		assertThat(relay.relayOnce().published()).isGreaterThanOrEqualTo(10);

		await().atMost(DEADLINE).until(() -> recorder.effects(run + "far-").size() == 10);
	}

	@Test
	void aCommitInAProcessThatRunsNoRelayWakesTheRelayHere() {
		String url = dataSource.getJdbcUrl();
		String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
		// An API-only instance: it publishes, but moves no messages.
		try (ConfigurableApplicationContext apiOnly = new SpringApplicationBuilder(OrderlyApplication.class).profiles("test")
			.run("--server.port=0", "--orderly.psp.port=0", "--orderly.database.isolated=false",
					"--orderly.database.database=" + database, "--spring.main.banner-mode=off",
					"--orderly.messaging.enabled=false")) {
			TransactionTemplate transactions = apiOnly.getBean(TransactionTemplate.class);
			Outbox outbox = apiOnly.getBean(Outbox.class);
			for (int i = 0; i < 5; i++) {
				Recorded event = new Recorded(run + "api-" + i, i, false);
				transactions.executeWithoutResult(status -> outbox.publish(event.subject(), event));
				int published = i + 1;
				// Only its wake-up moves this process's relay (its idle wait is an hour).
				await().atMost(DEADLINE).until(() -> recorder.effects(run + "api-").size() == published);
			}
		}
	}
}
