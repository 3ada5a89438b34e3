package io.orderly.edge.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.orderly.platform.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The edge's limits and how they answer: which bucket a request draws from, the
 * {@code RateLimit} and {@code RateLimit-Policy} headers (draft-ietf-httpapi-ratelimit-headers)
 * on every limited response, and the 429 problem with {@code Retry-After}.
 */
class EdgeLimits {

	private final RateLimitProperties properties;

	private final RateLimiter limiter;

	private final Map<String, RateLimiter.Limit> tiers = new ConcurrentHashMap<>();

	final RateLimiter.Limit tenant;

	final RateLimiter.Limit checkout;

	final RateLimiter.Limit anonymous;

	final RateLimiter.Limit failedAuth;

	private final List<IpAddressMatcher> trustedProxies;

	EdgeLimits(RateLimitProperties properties, RateLimiter limiter) {
		this.properties = properties;
		this.limiter = limiter;
		properties.tiers()
			.forEach((name, quota) -> tiers.put(name, RateLimiter.Limit.of(name, quota, RateLimiter.OnStoreFailure.ADMIT)));
		this.tenant = RateLimiter.Limit.of("tenant", properties.tenant(), RateLimiter.OnStoreFailure.ADMIT);
		this.checkout = RateLimiter.Limit.of("checkout", properties.checkout(), RateLimiter.OnStoreFailure.ADMIT);
		this.anonymous = RateLimiter.Limit.of("anonymous", properties.anonymous(), RateLimiter.OnStoreFailure.ADMIT);
		this.failedAuth = RateLimiter.Limit.of("failed-auth", properties.failedAuth(), RateLimiter.OnStoreFailure.REFUSE);
		this.trustedProxies = properties.trustedProxies().stream().map(IpAddressMatcher::new).toList();
	}

	boolean enabled() {
		return properties.enabled();
	}

	RateLimiter limiter() {
		return limiter;
	}

	RateLimitProperties properties() {
		return properties;
	}

	RateLimiter.Limit tier(String name) {
		RateLimiter.Limit limit = name == null ? null : tiers.get(name);
		return limit != null ? limit : tiers.get(properties.defaultTier());
	}

	/**
	 * The client's address: the connection's peer, or, when that is a trusted proxy, the
	 * nearest address in {@code X-Forwarded-For} that is not one (a client cannot forge what
	 * the proxies in front of us appended).
	 */
	String clientAddress(HttpServletRequest request) {
		String peer = request.getRemoteAddr();
		if (!trusted(peer)) {
			return peer;
		}
		String forwarded = request.getHeader("X-Forwarded-For");
		if (forwarded == null || forwarded.isBlank()) {
			return peer;
		}
		String[] hops = forwarded.split(",");
		for (int i = hops.length - 1; i >= 0; i--) {
			String hop = hops[i].strip();
			if (!hop.isEmpty() && !trusted(hop)) {
				return hop.length() > 64 ? hop.substring(0, 64) : hop;
			}
		}
		return hops[0].strip().isEmpty() ? peer : hops[0].strip();
	}

	private boolean trusted(String address) {
		for (IpAddressMatcher proxy : trustedProxies) {
			try {
				if (proxy.matches(address)) {
					return true;
				}
			}
			catch (IllegalArgumentException notAnAddress) {
				return false;
			}
		}
		return false;
	}

	/** How long {@code address} stays refused for failing to authenticate too often; empty when it is not. */
	java.util.Optional<Duration> blockedFor(String address) {
		return limiter.emptyFor(failedAuth, address);
	}

	/** Counts a failed authentication from {@code address}; its bucket running dry blocks it (the limiter remembers). */
	void failedAuthentication(String address) {
		limiter.consume(failedAuth, address);
	}

	/** Sets {@code RateLimit-Policy} and {@code RateLimit} for the limits a request drew from. */
	static void describe(HttpServletResponse response, List<RateLimiter.Outcome> outcomes) {
		if (outcomes.isEmpty() || response.isCommitted()) {
			return;
		}
		response.setHeader("RateLimit-Policy", outcomes.stream()
			.map(o -> "\"" + o.limit().name() + "\";q=" + o.limit().quota().capacity() + ";w="
					+ o.limit().quota().period().toSeconds())
			.collect(Collectors.joining(", ")));
		response.setHeader("RateLimit", outcomes.stream()
			.map(o -> "\"" + o.limit().name() + "\";r=" + Math.max(0, o.remaining()) + ";t=" + seconds(o.delay()))
			.collect(Collectors.joining(", ")));
	}

	/** Answers 429 for the limit that refused. */
	static void refuse(HttpServletResponse response, RateLimiter.Outcome refusal, List<RateLimiter.Outcome> outcomes,
			String detail) throws IOException {
		describe(response, outcomes);
		long retryAfter = Math.max(1, seconds(refusal.delay()));
		response.setHeader("Retry-After", Long.toString(retryAfter));
		ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
				detail + " Retry after " + retryAfter + " s.");
		problem.setProperty("limit", refusal.limit().name());
		Problems.write(response, problem);
	}

	static String quotaText(RateLimiter.Limit limit) {
		return limit.quota().capacity() + " requests per " + limit.quota().period().toString().substring(2).toLowerCase();
	}

	private static long seconds(Duration wait) {
		return (wait.toMillis() + 999) / 1000;
	}

	static List<RateLimiter.Outcome> outcomes() {
		return new ArrayList<>(3);
	}
}
