package io.orderly.psp.internal;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An authorization as the simulator's API shows it, with everything done to it.
 *
 * @param status        AUTHORIZED, DECLINED, CAPTURED or VOIDED
 * @param declineCode   {@code card_declined} or {@code insufficient_funds} when DECLINED, else null
 * @param capturedMinor taken from the card (0 until captured; at most {@code amountMinor})
 * @param refundedMinor given back (at most {@code capturedMinor})
 * @param voided        whether the hold was released without capture
 * @param operations    what the simulator did, oldest first
 */
@Schema(name = "PspAuthorization")
public record AuthorizationView(String id, String reference, AuthorizationStatus status, String declineCode,
		long amountMinor, String currency, long capturedMinor, long refundedMinor, boolean voided, Instant createdAt,
		Instant updatedAt, List<OperationView> operations) {

	public AuthorizationView {
		operations = List.copyOf(operations);
	}

	static AuthorizationView of(Authorization a, List<Operation> operations) {
		return new AuthorizationView(a.id(), a.reference(), a.status(), a.declineCode(), a.amountMinor(), a.currency(),
				a.capturedMinor(), a.refundedMinor(), a.voided(), a.createdAt(), a.updatedAt(),
				operations.stream().map(OperationView::of).toList());
	}
}
