package io.orderly.providers.internal;

/**
 * What a simulated provider was told to do wrong and what it did: requests, messages accepted
 * (once per key), repeats of a key, refusals for its rate limit, errors, invalid recipients,
 * receipts sent, and the most messages it accepted in one second.
 */
public record ProviderRecords(String name, int port, double errorRate, long latencyMs, double timeoutRate,
		long hangMs, boolean down, long requests, long accepted, long duplicates, long rateLimited, long errors,
		long rejected, long receiptsSent, long maxAcceptedPerSecond, int ratePerSecond) {
}
