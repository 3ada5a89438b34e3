package io.orderly.psp.internal;

/**
 * The simulator as an operator or a fault campaign wants to see it.
 *
 * @param up              whether its port accepts connections
 * @param hangingRequests requests held by an injected timeout or latency right now
 */
public record PspStatus(String baseUrl, int port, boolean up, int hangingRequests, InjectedFaults injected) {
}
