package io.orderly.psp.internal;

/**
 * Where an authorization stands. {@code AUTHORIZED} holds funds; from there it is captured
 * once (for at most the authorized amount) or voided. {@code DECLINED}, {@code VOIDED} are
 * final; a {@code CAPTURED} authorization can only be refunded, up to what was captured.
 */
public enum AuthorizationStatus {
	AUTHORIZED, DECLINED, CAPTURED, VOIDED
}
