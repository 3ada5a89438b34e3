package io.orderly.platform.saga;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.orderly.Http;
import io.orderly.platform.Ids;
import io.orderly.platform.KernelIntegrationTest;
import io.orderly.platform.MutableClock;
import io.orderly.platform.saga.TestSagaMessages.Data;
import io.orderly.platform.saga.TestSagaMessages.FirstDone;
import io.orderly.platform.saga.TestSagaParticipant.Behaviour;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The saga engine with a scripted participant: forward steps, compensation, deadlines, operators. */
@KernelIntegrationTest
class SagaIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@Autowired
	Sagas sagas;

	@Autowired
	@Qualifier("testSagaDefinition")
	SagaDefinition<Data> definition;

	@Autowired
	TestSaga saga;

	@Autowired
	TestSagaParticipant participant;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	MutableClock clock;

	@Autowired
	SagaProperties properties;

	@Autowired
	SagaHistoryRetention retention;

	@Autowired
	JdbcClient jdbc;

	@LocalServerPort
	int port;

	private final String id = "saga-" + Ids.nextString();

	@Test
	void completesWhenEveryStepSucceedsPassingWhatEachReplyTold() {
		start();

		await().atMost(DEADLINE).until(() -> "completed".equals(saga.outcome(id)));
		assertThat(participant.received(id)).containsExactly("DoFirst", "DoSecond:token-1");
		// The outcome is told from inside the transaction that writes the last entries: wait for its commit.
		assertThat(await().atMost(DEADLINE).until(this::kinds, kinds -> kinds.contains("COMPLETED")))
			.containsExactly("STARTED", "COMMAND", "REPLY", "COMMAND", "REPLY", "COMPLETED");
		assertThat(sagas.find(id).orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
		// What the first reply told is kept with the saga (the second reply changed nothing, and wrote nothing).
		assertThat(jdbc.sql("select data ->> 'token' from platform.sagas where id = :id").param("id", id)
			.query(String.class).single()).isEqualTo("token-1");
	}

	@Test
	void writesOneHistoryRowPerStepAndResumesAfterAnyEntry() {
		start();
		await().atMost(DEADLINE).until(() -> "completed".equals(saga.outcome(id)));

		assertThat(jdbc.sql("select count(*) from platform.saga_history where saga_id = :id").param("id", id)
			.query(Integer.class).single()).as("the start, and each step's reply with what follows it").isEqualTo(3);
		List<NumberedHistoryEntry> all = sagas.historyAfter(id, 0);
		assertThat(all).extracting(entry -> entry.entry().kind())
			.containsExactly("STARTED", "COMMAND", "REPLY", "COMMAND", "REPLY", "COMPLETED");
		assertThat(all).extracting(NumberedHistoryEntry::id).isSorted().doesNotHaveDuplicates();
		for (int i = 0; i < all.size(); i++) {
			assertThat(sagas.historyAfter(id, all.get(i).id())).as("after entry %d", i)
				.containsExactlyElementsOf(all.subList(i + 1, all.size()));
		}
	}

	@Test
	void compensatesTheStepsTakenWhenALaterStepFails() {
		participant.second(id, Behaviour.FAIL);
		start();

		await().atMost(DEADLINE).until(() -> saga.outcome(id) != null);
		assertThat(saga.outcome(id)).isEqualTo("compensated:second_refused");
		assertThat(participant.received(id)).containsExactly("DoFirst", "DoSecond:token-1", "UndoFirst");
		assertThat(sagas.find(id).orElseThrow().reason()).isEqualTo("second_refused");
	}

	@Test
	void compensatesNothingWhenTheFirstStepFails() {
		participant.first(id, Behaviour.FAIL);
		start();

		await().atMost(DEADLINE).until(() -> saga.outcome(id) != null);
		assertThat(saga.outcome(id)).isEqualTo("compensated:first_refused");
		assertThat(participant.received(id)).containsExactly("DoFirst");
	}

	@Test
	void compensatesAStepWhoseReplyMissesItsDeadlineAndIgnoresTheLateReply() {
		participant.first(id, Behaviour.SILENT);
		start();
		await().atMost(DEADLINE).until(() -> participant.received(id).contains("DoFirst"));

		clock.advance(Duration.ofMinutes(2));
		await().atMost(DEADLINE).until(() -> saga.outcome(id) != null);
		assertThat(saga.outcome(id)).isEqualTo("compensated:timeout");
		// The step in flight is undone too: its effect may still happen.
		assertThat(participant.received(id)).containsExactly("DoFirst", "UndoFirst");

		transactions.executeWithoutResult(status -> participant.reply(id, new FirstDone(id, "late")));
		await().atMost(DEADLINE).until(() -> kinds().contains("LATE_REPLY"));
		assertThat(participant.received(id)).doesNotContain("DoSecond:late");
		assertThat(sagas.find(id).orElseThrow().state()).isEqualTo(SagaState.COMPENSATED);
	}

	@Test
	void retriesAFailingCompensationWithBackoffThenWaitsForAnOperatorWhoRetriesIt() {
		participant.second(id, Behaviour.FAIL);
		participant.failUndo(id, 1000);
		start();

		await().atMost(DEADLINE).until(() -> {
			clock.advance(Duration.ofMinutes(2));
			return sagas.find(id).orElseThrow().state() == SagaState.NEEDS_ATTENTION;
		});
		assertThat(participant.received(id).stream().filter("UndoFirst"::equals))
			.hasSize(properties.maxCompensationAttempts());
		Http http = new Http(port);
		assertThat(http.get("/v1/admin/sagas?state=NEEDS_ATTENTION&limit=500").body()).contains(id);

		participant.failUndo(id, 0);
		Http.Response retried = http.post("/v1/admin/sagas/" + id + "/retry", "", Map.of());
		assertThat(retried.status()).isEqualTo(200);
		await().atMost(DEADLINE).until(() -> saga.outcome(id) != null);
		assertThat(saga.outcome(id)).isEqualTo("compensated:second_refused");
		assertThat(http.post("/v1/admin/sagas/" + id + "/retry", "", Map.of()).status()).isEqualTo(409);
	}

	@Test
	void cancellingARunningSagaUndoesTheStepInFlight() {
		participant.first(id, Behaviour.SILENT);
		start();
		await().atMost(DEADLINE).until(() -> participant.received(id).contains("DoFirst"));

		Sagas.CancelOutcome outcome = transactions.execute(status -> sagas.cancel(id, "cancelled_by_customer", false));
		assertThat(outcome).isEqualTo(Sagas.CancelOutcome.CANCELLING);
		await().atMost(DEADLINE).until(() -> saga.outcome(id) != null);
		assertThat(saga.outcome(id)).isEqualTo("compensated:cancelled_by_customer");
		Sagas.CancelOutcome again = transactions.execute(status -> sagas.cancel(id, "again", false));
		assertThat(again).isEqualTo(Sagas.CancelOutcome.ALREADY_CANCELLED);
	}

	@Test
	void aCancellationRefusedAtThePointOfNoReturnLeavesACompletedSagaCompleted() {
		participant.undoGone(id);
		start();
		await().atMost(DEADLINE).until(() -> "completed".equals(saga.outcome(id)));

		Sagas.CancelOutcome cancel = transactions.execute(status -> sagas.cancel(id, "cancelled_by_customer", true));
		assertThat(cancel).isEqualTo(Sagas.CancelOutcome.CANCELLING);

		await().atMost(DEADLINE).until(() -> "refused:gone".equals(saga.outcome(id)));
		SagaInstance instance = sagas.find(id).orElseThrow();
		assertThat(instance.state()).isEqualTo(SagaState.COMPLETED);
		assertThat(instance.reason()).isNull();
		assertThat(kinds()).endsWith("CANCEL", "COMPENSATION", "COMPENSATION_REFUSED", "CANCELLATION_REFUSED");
		assertThat(participant.received(id)).as("asked once, not retried").containsOnlyOnce("UndoFirst");
	}

	@Test
	void aCancellationRefusedWhileRunningGoesOnWithTheStepItRan() {
		participant.undoGone(id);
		participant.second(id, Behaviour.SILENT);
		start();
		await().atMost(DEADLINE).until(() -> participant.received(id).contains("DoSecond:token-1"));

		participant.second(id, Behaviour.SUCCEED);
		transactions.execute(status -> sagas.cancel(id, "cancelled_by_customer", false));

		await().atMost(DEADLINE).until(() -> "completed".equals(saga.outcome(id)));
		assertThat(participant.received(id)).containsExactly("DoFirst", "DoSecond:token-1", "UndoFirst",
				"DoSecond:token-1");
		assertThat(kinds()).contains("CANCELLATION_REFUSED").endsWith("COMPLETED");
	}

	@Test
	void aStepPastThePointOfNoReturnThatMissesItsDeadlineIsAskedAgainNotUndone() {
		participant.undoGone(id);
		participant.second(id, Behaviour.SILENT);
		start();
		await().atMost(DEADLINE).until(() -> participant.received(id).contains("DoSecond:token-1"));
		participant.second(id, Behaviour.SUCCEED);

		clock.advance(Duration.ofMinutes(2));

		await().atMost(DEADLINE).until(() -> "completed".equals(saga.outcome(id)));
		assertThat(participant.received(id)).containsExactly("DoFirst", "DoSecond:token-1", "UndoFirst",
				"DoSecond:token-1");
		assertThat(kinds()).contains("TIMEOUT", "COMPENSATION_REFUSED", "RESUMED").doesNotContain("CANCELLATION_REFUSED");
	}

	@Test
	void aStepThatCannotBeUndoneAfterAFailureWaitsForAnOperatorAtOnce() {
		participant.undoGone(id);
		participant.second(id, Behaviour.FAIL);
		start();

		await().atMost(DEADLINE).until(() -> sagas.find(id).orElseThrow().state() == SagaState.NEEDS_ATTENTION);
		assertThat(sagas.find(id).orElseThrow().attempts()).as("not retried").isEqualTo(1);
		assertThat(kinds()).endsWith("COMPENSATION_REFUSED", "NEEDS_ATTENTION");
		assertThat(saga.outcome(id)).isNull();
	}

	@Test
	void nothingAfterAPointOfNoReturnMayBeUndone() {
		SagaDefinition.Builder<Data> builder = SagaDefinition.named("bad", Data.class)
			.step("pivot")
				.invoke(d -> "do")
				.compensateWith(d -> "undo")
				.compensationRefusedWhen(String.class, reply -> "gone")
			.step("after")
				.invoke(d -> "do-after")
				.compensateWith(d -> "undo-after", Integer.class)
			.onCompleted((sagaId, d) -> {
			});
		assertThatThrownBy(builder::build)
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("point of no return");
	}

	@Test
	void forgetsOnlyTheHistoryOfSagasThatEndedLongerAgoThanTheRetention() {
		Instant now = clock.instant();
		Instant old = now.minus(properties.historyRetention()).minus(Duration.ofDays(1));
		String endedLongAgo = saga("COMPLETED", old, old);
		String compensatedLongAgo = saga("COMPENSATED", old, old);
		// Began long ago, ended within the retention: all of its history stays.
		String endedRecently = saga("COMPLETED", now.minus(Duration.ofDays(1)), old);
		// Running since long ago (no deadline, so no timer touches it): never purged before it ends.
		String stillOpen = saga("RUNNING", old, old);
		try {
			retention.purge();

			assertThat(sagas.history(endedLongAgo)).isEmpty();
			assertThat(sagas.history(compensatedLongAgo)).isEmpty();
			assertThat(sagas.find(endedLongAgo)).as("the saga itself stays").isPresent();
			assertThat(sagas.history(endedRecently)).hasSize(3);
			assertThat(sagas.history(stillOpen)).hasSize(3);
		}
		finally {
			for (String saga : List.of(endedLongAgo, compensatedLongAgo, endedRecently, stillOpen)) {
				jdbc.sql("delete from platform.saga_history where saga_id = :id").param("id", saga).update();
				jdbc.sql("delete from platform.sagas where id = :id").param("id", saga).update();
			}
		}
	}

	@Test
	void readsTheHistoryRowsThePreviousVersionWritesDuringARollingDeploy() {
		Instant now = clock.instant();
		String saga = saga("RUNNING", now, now);
		try {
			// A row per entry, in the old columns, as an instance of the previous version writes it.
			jdbc.sql("insert into platform.saga_history (saga_id, at, kind, step, detail) values (:id, :at, 'REPLY', 'first', 'X')")
				.param("id", saga)
				.param("at", Timestamp.from(now))
				.update();

			assertThat(sagas.history(saga)).extracting(SagaHistoryEntry::kind).containsExactly("STARTED", "COMMAND", "REPLY", "REPLY");
			assertThat(sagas.history(saga).getLast().step()).isEqualTo("first");
		}
		finally {
			jdbc.sql("delete from platform.saga_history where saga_id = :id").param("id", saga).update();
			jdbc.sql("delete from platform.sagas where id = :id").param("id", saga).update();
		}
	}

	/** A saga in {@code state} since {@code updatedAt}, with three history entries written at {@code historyAt}. */
	private String saga(String state, Instant updatedAt, Instant historyAt) {
		String saga = "saga-" + Ids.nextString();
		jdbc.sql("""
				insert into platform.sagas (id, definition, state, step, data, created_at, updated_at)
				values (:id, 'test', :state, 0, '{}', :historyAt, :updatedAt)""")
			.param("id", saga)
			.param("state", state)
			.param("historyAt", Timestamp.from(historyAt))
			.param("updatedAt", Timestamp.from(updatedAt))
			.update();
		for (String kind : List.of("STARTED", "COMMAND", "REPLY")) {
			jdbc.sql("insert into platform.saga_history (saga_id, at, entries) values (:id, :at, jsonb_build_array(jsonb_build_object('kind', :kind)))")
				.param("id", saga)
				.param("at", Timestamp.from(historyAt))
				.param("kind", kind)
				.update();
		}
		return saga;
	}

	private void start() {
		transactions.executeWithoutResult(status -> sagas.start(definition, id, new Data(id, null)));
	}

	private List<String> kinds() {
		return sagas.history(id).stream().map(SagaHistoryEntry::kind).toList();
	}
}
