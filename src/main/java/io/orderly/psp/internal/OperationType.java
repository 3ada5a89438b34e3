package io.orderly.psp.internal;

/** What the simulator did to an authorization. */
public enum OperationType {
	AUTHORIZE, CAPTURE, VOID, REFUND
}
