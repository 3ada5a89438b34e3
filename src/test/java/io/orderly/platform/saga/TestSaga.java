package io.orderly.platform.saga;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.orderly.platform.saga.TestSagaMessages.Data;
import io.orderly.platform.saga.TestSagaMessages.DoFirst;
import io.orderly.platform.saga.TestSagaMessages.DoSecond;
import io.orderly.platform.saga.TestSagaMessages.FirstDone;
import io.orderly.platform.saga.TestSagaMessages.FirstFailed;
import io.orderly.platform.saga.TestSagaMessages.FirstUndone;
import io.orderly.platform.saga.TestSagaMessages.SecondDone;
import io.orderly.platform.saga.TestSagaMessages.SecondFailed;
import io.orderly.platform.saga.TestSagaMessages.UndoFirst;
import io.orderly.platform.saga.TestSagaMessages.UndoFirstFailed;


/** A two-step saga for the engine's tests (its first step a point of no return), and how each instance ended. */
public class TestSaga {

	private final Map<String, String> outcomes = new ConcurrentHashMap<>();

	public SagaDefinition<Data> definition() {
		return SagaDefinition.named("test", Data.class)
			.deadlinePerStep(java.time.Duration.ofMinutes(1))
			.step("first")
				.invoke(d -> new DoFirst(d.sagaId()))
				.onReply(FirstDone.class, (d, reply) -> new Data(d.sagaId(), reply.token()))
				.onFailure(FirstFailed.class, reply -> "first_refused")
				.compensateWith(d -> new UndoFirst(d.sagaId()), FirstUndone.class)
				// "gone": the first step can no longer be undone (the saga's point of no return).
				.compensationRefusedWhen(UndoFirstFailed.class, reply -> "gone".equals(reply.reason()) ? "gone" : null)
			.step("second")
				.invoke(d -> new DoSecond(d.sagaId(), d.token()))
				.onReply(SecondDone.class, (d, reply) -> d)
				.onFailure(SecondFailed.class, SecondFailed::reason)
			.onCompleted((id, d) -> outcomes.put(id, "completed"))
			.onCompensated((id, d, reason) -> outcomes.put(id, "compensated:" + reason))
			.onCancellationRefused((id, d, reason) -> outcomes.put(id, "refused:" + reason))
			.build();
	}

	String outcome(String sagaId) {
		return outcomes.get(sagaId);
	}
}
