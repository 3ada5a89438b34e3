package io.orderly.psp.internal;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One thing the simulator did to an authorization.
 *
 * @param type           AUTHORIZE, CAPTURE, VOID or REFUND
 * @param outcome        SUCCEEDED, or DECLINED for the AUTHORIZE of a declined card
 * @param amountMinor    authorized, captured, released (VOID) or refunded amount
 * @param idempotencyKey the key of the request that did it
 */
@Schema(name = "PspOperation")
public record OperationView(String id, OperationType type, String outcome, long amountMinor, String idempotencyKey,
		Instant createdAt) {

	static OperationView of(Operation operation) {
		return new OperationView(operation.id(), operation.type(), operation.outcome(), operation.amountMinor(),
				operation.idempotencyKey(), operation.createdAt());
	}
}
