package io.orderly.psp.internal;

import java.time.Instant;

import io.orderly.platform.Ids;

/**
 * One thing the simulator really did to an authorization, with the key of the request that
 * did it. A refused request leaves no operation: nothing happened.
 *
 * @param outcome      {@code SUCCEEDED}, or {@code DECLINED} for a declined authorization
 * @param amountMinor  authorized, captured, released (void) or refunded
 */
record Operation(String id, String authorizationId, OperationType type, String outcome, long amountMinor,
		String idempotencyKey, Instant createdAt) {

	static Operation of(Authorization authorization, OperationType type, long amountMinor, String idempotencyKey,
			Instant now) {
		String outcome = authorization.status() == AuthorizationStatus.DECLINED ? "DECLINED" : "SUCCEEDED";
		return new Operation("op_" + Ids.nextString(), authorization.id(), type, outcome, amountMinor, idempotencyKey,
				now);
	}
}
