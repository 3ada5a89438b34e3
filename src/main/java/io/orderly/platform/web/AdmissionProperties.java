package io.orderly.platform.web;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many requests the API works on at once, and how long a request waits for its turn.
 *
 * @param maxConcurrentRequests requests handled at once; keep it below the connection pool's
 *        size so that message consumers always find a connection
 * @param maxWait how long a request waits for a turn before it is answered 503; keep it well
 *        below the pool's connection timeout
 * @param maxWaiting requests that may wait for a turn at once; one that finds this many waiting
 *        is answered 503 at once (an unbounded line of waiters costs CPU in itself: each one
 *        that gives up is taken out of the line at a cost that grows with its length)
 * @param retryAfter the {@code Retry-After} an overloaded client is given
 * @param bodyDeadline how long a request may take to send its body, which is read before it
 *        takes a turn; past it, 408
 * @param excludedPathPrefixes paths that are never held back (health probes must answer an
 *        operator even when the API is saturated; the PSP simulator stands for an outside system)
 * @param maxConcurrentWebhooks webhooks handled at once, in a line of their own (its waiters
 *        bounded by {@code max-waiting} too): the providers' reports of what they did are never
 *        refused for customers saturating the API, and a flood of them (a broadcast's receipts)
 *        takes at most this many connections; one refused gets a 503 and its sender tries again
 * @param webhookPathPrefixes the paths of that line
 * @param busyTurns the API counts as busy (see {@link io.orderly.platform.Foreground}) while this many of
 *        its turns are taken: at 10 orders/s a checkout's request takes one for about 60 ms, so two at once
 *        are rare unless something else takes the CPU
 * @param busyLinger and for this long after a request found it so
 */
@ConfigurationProperties("orderly.http.admission")
public record AdmissionProperties(@DefaultValue("8") int maxConcurrentRequests, @DefaultValue("2s") Duration maxWait,
		@DefaultValue("64") int maxWaiting, @DefaultValue("1s") Duration retryAfter, @DefaultValue("10s") Duration bodyDeadline,
		@DefaultValue({ "/actuator/", "/psp/" }) List<String> excludedPathPrefixes, @DefaultValue("4") int maxConcurrentWebhooks,
		@DefaultValue("/v1/webhooks/") List<String> webhookPathPrefixes, @DefaultValue("2") int busyTurns,
		@DefaultValue("1s") Duration busyLinger) {

	public AdmissionProperties {
		if (maxConcurrentRequests < 1) {
			throw new IllegalArgumentException("orderly.http.admission.max-concurrent-requests must be at least 1");
		}
		if (maxConcurrentWebhooks < 1) {
			throw new IllegalArgumentException("orderly.http.admission.max-concurrent-webhooks must be at least 1");
		}
		if (busyTurns < 1 || busyLinger.isNegative()) {
			throw new IllegalArgumentException("orderly.http.admission.busy-turns must be at least 1 and busy-linger not negative");
		}
		if (maxWaiting < 1) {
			throw new IllegalArgumentException("orderly.http.admission.max-waiting must be at least 1");
		}
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException("orderly.http.admission.max-wait must not be negative");
		}
		excludedPathPrefixes = List.copyOf(excludedPathPrefixes);
		webhookPathPrefixes = List.copyOf(webhookPathPrefixes);
	}
}
