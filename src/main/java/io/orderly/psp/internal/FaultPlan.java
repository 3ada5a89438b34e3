package io.orderly.psp.internal;

import java.time.Duration;

/**
 * What the dice decided for one request of the payment API, in the order it happens: refuse
 * (down), fail at once (error), hang (timeout), delay (latency), lose the response (lost).
 */
record FaultPlan(boolean down, boolean error, boolean timeout, Duration timeoutAfter, Duration latency,
		boolean lostResponse) {
}
