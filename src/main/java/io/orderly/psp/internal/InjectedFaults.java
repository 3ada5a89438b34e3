package io.orderly.psp.internal;

/**
 * How many requests each fault hit since startup (a request counts once, for the first fault
 * that struck it).
 */
public record InjectedFaults(long errors, long timeouts, long lostResponses, long refusedWhileDown) {
}
