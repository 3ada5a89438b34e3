package io.orderly.platform.saga;

import io.orderly.platform.messaging.MessageType;

/** The messages of the test saga: two steps, each with a command, replies and a compensation. */
final class TestSagaMessages {

	private TestSagaMessages() {
	}

	@MessageType("orderly.test.DoFirst.v1")
	record DoFirst(String sagaId) {
	}

	@MessageType("orderly.test.FirstDone.v1")
	record FirstDone(String sagaId, String token) {
	}

	@MessageType("orderly.test.FirstFailed.v1")
	record FirstFailed(String sagaId) {
	}

	@MessageType("orderly.test.UndoFirst.v1")
	record UndoFirst(String sagaId) {
	}

	@MessageType("orderly.test.FirstUndone.v1")
	record FirstUndone(String sagaId) {
	}

	@MessageType("orderly.test.UndoFirstFailed.v1")
	record UndoFirstFailed(String sagaId, String reason) {
	}

	@MessageType("orderly.test.DoSecond.v1")
	record DoSecond(String sagaId, String token) {
	}

	@MessageType("orderly.test.SecondDone.v1")
	record SecondDone(String sagaId) {
	}

	@MessageType("orderly.test.SecondFailed.v1")
	record SecondFailed(String sagaId, String reason) {
	}

	/** The saga's data: what the first step answered. */
	record Data(String sagaId, String token) {
	}
}
