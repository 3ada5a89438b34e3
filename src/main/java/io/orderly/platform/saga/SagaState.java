package io.orderly.platform.saga;

/**
 * Where a saga is. RUNNING takes steps forward; COMPENSATING undoes them newest first;
 * COMPLETED and COMPENSATED are final; NEEDS_ATTENTION waits for an operator to retry or
 * resolve a compensation that kept failing.
 */
public enum SagaState {
	RUNNING, COMPENSATING, COMPLETED, COMPENSATED, NEEDS_ATTENTION
}
