package io.orderly.platform.saga;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.messaging.Subscription;
import io.orderly.platform.saga.TestSagaMessages.DoFirst;
import io.orderly.platform.saga.TestSagaMessages.DoSecond;
import io.orderly.platform.saga.TestSagaMessages.FirstDone;
import io.orderly.platform.saga.TestSagaMessages.FirstFailed;
import io.orderly.platform.saga.TestSagaMessages.FirstUndone;
import io.orderly.platform.saga.TestSagaMessages.SecondDone;
import io.orderly.platform.saga.TestSagaMessages.SecondFailed;
import io.orderly.platform.saga.TestSagaMessages.UndoFirst;
import io.orderly.platform.saga.TestSagaMessages.UndoFirstFailed;


/**
 * Answers the test saga's commands as each test scripts it per saga: succeed, fail, stay
 * silent, or fail the compensation a number of times. Records every command it receives.
 */
public class TestSagaParticipant {

	enum Behaviour {
		SUCCEED, FAIL, SILENT
	}

	private final Outbox outbox;

	private final Map<String, Behaviour> first = new ConcurrentHashMap<>();

	private final Map<String, Behaviour> second = new ConcurrentHashMap<>();

	private final Map<String, Integer> undoFailures = new ConcurrentHashMap<>();

	private final Set<String> gone = ConcurrentHashMap.newKeySet();

	private final Map<String, List<String>> received = new ConcurrentHashMap<>();

	TestSagaParticipant(Outbox outbox) {
		this.outbox = outbox;
	}

	public Subscription subscription() {
		return Subscription.named("test.participant")
			.on(DoFirst.class, (command, message) -> {
				record(command.sagaId(), "DoFirst");
				switch (first.getOrDefault(command.sagaId(), Behaviour.SUCCEED)) {
					case SUCCEED -> outbox.publish(command.sagaId(), new FirstDone(command.sagaId(), "token-1"));
					case FAIL -> outbox.publish(command.sagaId(), new FirstFailed(command.sagaId()));
					case SILENT -> {
					}
				}
			})
			.on(UndoFirst.class, (command, message) -> {
				record(command.sagaId(), "UndoFirst");
				int failures = undoFailures.getOrDefault(command.sagaId(), 0);
				if (gone.contains(command.sagaId())) {
					outbox.publish(command.sagaId(), new UndoFirstFailed(command.sagaId(), "gone"));
				}
				else if (failures > 0) {
					undoFailures.put(command.sagaId(), failures - 1);
					outbox.publish(command.sagaId(), new UndoFirstFailed(command.sagaId(), "busy"));
				}
				else {
					outbox.publish(command.sagaId(), new FirstUndone(command.sagaId()));
				}
			})
			.on(DoSecond.class, (command, message) -> {
				record(command.sagaId(), "DoSecond:" + command.token());
				switch (second.getOrDefault(command.sagaId(), Behaviour.SUCCEED)) {
					case SUCCEED -> outbox.publish(command.sagaId(), new SecondDone(command.sagaId()));
					case FAIL -> outbox.publish(command.sagaId(), new SecondFailed(command.sagaId(), "second_refused"));
					case SILENT -> {
					}
				}
			})
			.build();
	}

	void first(String sagaId, Behaviour behaviour) {
		first.put(sagaId, behaviour);
	}

	void second(String sagaId, Behaviour behaviour) {
		second.put(sagaId, behaviour);
	}

	void failUndo(String sagaId, int times) {
		undoFailures.put(sagaId, times);
	}

	/** The first step of the saga can no longer be undone: its compensation is refused for good. */
	void undoGone(String sagaId) {
		gone.add(sagaId);
	}

	/** Sends a reply as a late participant would. */
	void reply(String sagaId, Object reply) {
		outbox.publish(sagaId, reply);
	}

	List<String> received(String sagaId) {
		return List.copyOf(received.getOrDefault(sagaId, List.of()));
	}

	private void record(String sagaId, String command) {
		received.computeIfAbsent(sagaId, id -> new CopyOnWriteArrayList<>()).add(command);
	}
}
