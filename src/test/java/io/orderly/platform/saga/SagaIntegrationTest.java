package io.orderly.platform.saga;

import java.time.Duration;
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
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
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

	@LocalServerPort
	int port;

	private final String id = "saga-" + Ids.nextString();

	@Test
	void completesWhenEveryStepSucceedsPassingWhatEachReplyTold() {
		start();

		await().atMost(DEADLINE).until(() -> "completed".equals(saga.outcome(id)));
		assertThat(participant.received(id)).containsExactly("DoFirst", "DoSecond:token-1");
		assertThat(kinds()).containsExactly("STARTED", "COMMAND", "REPLY", "COMMAND", "REPLY", "COMPLETED");
		assertThat(sagas.find(id).orElseThrow().state()).isEqualTo(SagaState.COMPLETED);
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

	private void start() {
		transactions.executeWithoutResult(status -> sagas.start(definition, id, new Data(id, null)));
	}

	private List<String> kinds() {
		return sagas.history(id).stream().map(SagaHistoryEntry::kind).toList();
	}
}
