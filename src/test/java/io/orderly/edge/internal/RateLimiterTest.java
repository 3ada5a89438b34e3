package io.orderly.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderly.platform.SteppedClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;

/** The limiter's decisions when its store is away, its buckets' periods, and whose address counts. */
class RateLimiterTest {

	private static final RateLimitProperties.Quota FIVE_A_MINUTE = new RateLimitProperties.Quota(5, Duration.ofMinutes(1));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final RateLimiter away = new RateLimiter(new RateLimiter.Store() {
		@Override
		public ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
			throw new IllegalStateException("connection refused");
		}

		@Override
		public long available(String key, BucketConfiguration configuration) {
			throw new IllegalStateException("connection refused");
		}
	}, meters, Clock.systemUTC());

	@Test
	void whileTheStoreIsAwayCapacityLimitsAdmitAndLoginLimitsRefuse() {
		EdgeLimits limits = new EdgeLimits(properties(List.of()), away);
		RateLimiter.Limit capacity = limits.tier("standard");
		RateLimiter.Limit logins = limits.failedAuth;

		RateLimiter.Outcome admitted = away.consume(capacity, "alice");
		RateLimiter.Outcome refused = away.peek(logins, "203.0.113.1");
		RateLimiter.Outcome refusedToo = away.consume(logins, "203.0.113.1");
		RateLimiter.Outcome anonymous = away.consume(limits.anonymous, "203.0.113.1");

		assertThat(admitted.admitted()).isTrue();
		assertThat(admitted.storeFailed()).isTrue();
		assertThat(refused.admitted()).isFalse();
		assertThat(refusedToo.admitted()).isFalse();
		assertThat(anonymous.admitted()).isTrue();
		assertThat(refused.delay()).isPositive();
		assertThat(meters.counter("orderly.ratelimit.store.failures", "limit", "failed-auth").count()).isEqualTo(2);
	}

	@Test
	void aBucketAdmitsItsCapacityPerPeriodAndIsFullAgainAfterIt() {
		SteppedClock clock = new SteppedClock(Instant.parse("2026-12-04T12:00:00Z"));
		RateLimiter limiter = new RateLimiter(RateLimiter.local(clock), meters, clock);
		RateLimiter.Limit limit = RateLimiter.Limit.of("free", FIVE_A_MINUTE, RateLimiter.OnStoreFailure.ADMIT);

		for (int i = 0; i < 5; i++) {
			assertThat(limiter.consume(limit, "k").admitted()).isTrue();
		}
		RateLimiter.Outcome sixth = limiter.consume(limit, "k");
		clock.advance(Duration.ofSeconds(59));
		RateLimiter.Outcome beforeTheMinute = limiter.consume(limit, "k");
		clock.advance(Duration.ofSeconds(1));
		RateLimiter.Outcome afterIt = limiter.consume(limit, "k");

		assertThat(sixth.admitted()).isFalse();
		assertThat(sixth.delay()).isEqualTo(Duration.ofMinutes(1));
		assertThat(beforeTheMinute.admitted()).isFalse();
		assertThat(afterIt.admitted()).isTrue();
		assertThat(afterIt.remaining()).isEqualTo(4);
		assertThat(limiter.consume(limit, "another key").remaining()).isEqualTo(4);
	}

	@Test
	void anEmptyBucketIsRefusedWithoutAskingTheStoreAgainUntilItRefills() {
		SteppedClock clock = new SteppedClock(Instant.parse("2026-12-04T12:00:00Z"));
		RateLimiter.Store buckets = RateLimiter.local(clock);
		int[] asked = { 0 };
		RateLimiter.Store counted = new RateLimiter.Store() {
			@Override
			public ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
				asked[0]++;
				return buckets.tryConsume(key, configuration);
			}

			@Override
			public long available(String key, BucketConfiguration configuration) {
				return buckets.available(key, configuration);
			}
		};
		RateLimiter limiter = new RateLimiter(counted, meters, clock);
		RateLimiter.Limit limit = RateLimiter.Limit.of("free", FIVE_A_MINUTE, RateLimiter.OnStoreFailure.ADMIT);

		for (int i = 0; i < 6; i++) {
			limiter.consume(limit, "flood");
		}
		for (int i = 0; i < 100; i++) {
			assertThat(limiter.consume(limit, "flood").admitted()).isFalse();
		}
		int askedWhileEmpty = asked[0];
		clock.advance(Duration.ofSeconds(60));
		RateLimiter.Outcome refilled = limiter.consume(limit, "flood");

		assertThat(askedWhileEmpty).as("5 admitted, 1 refused, then nothing asked").isEqualTo(6);
		assertThat(refilled.admitted()).isTrue();
		assertThat(asked[0]).isEqualTo(7);
	}

	@Test
	void forwardedForIsBelievedOnlyFromATrustedProxy() {
		EdgeLimits limits = new EdgeLimits(properties(List.of("10.0.0.0/8")), away);

		assertThat(limits.clientAddress(request("198.51.100.1", "203.0.113.5"))).as("not a proxy of ours")
			.isEqualTo("198.51.100.1");
		assertThat(limits.clientAddress(request("10.1.2.3", "203.0.113.5"))).isEqualTo("203.0.113.5");
		assertThat(limits.clientAddress(request("10.1.2.3", "1.1.1.1, 203.0.113.5, 10.9.9.9")))
			.as("the nearest hop that is not ours; what the client wrote itself comes first and is ignored")
			.isEqualTo("203.0.113.5");
		assertThat(limits.clientAddress(request("10.1.2.3", null))).isEqualTo("10.1.2.3");
	}

	@Test
	void aQuotaGivenOnlyItsCapacityKeepsTheOneMinutePeriod() {
		// As load-lib.sh raises the quotas: capacity only, on the command line.
		var settings = new MapConfigurationPropertySource(Map.of("orderly.rate-limits.tiers.standard.capacity", "1000000",
				"orderly.rate-limits.anonymous.capacity", "7"));
		RateLimitProperties properties = new Binder(settings).bindOrCreate("orderly.rate-limits", RateLimitProperties.class);

		assertThat(properties.tiers().get("standard")).isEqualTo(new RateLimitProperties.Quota(1_000_000, Duration.ofMinutes(1)));
		assertThat(properties.anonymous()).isEqualTo(new RateLimitProperties.Quota(7, Duration.ofMinutes(1)));
		assertThat(properties.tiers().get("premium")).isEqualTo(new RateLimitProperties.Quota(6_000, Duration.ofMinutes(1)));
	}

	private static RateLimitProperties properties(List<String> trustedProxies) {
		return new RateLimitProperties(true, "local", null, Duration.ofMillis(250), Map.of(), "standard", "tier", "tenant",
				null, null, null, null, trustedProxies, 0.003);
	}

	private static MockHttpServletRequest request(String peer, String forwardedFor) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/s/x");
		request.setRemoteAddr(peer);
		if (forwardedFor != null) {
			request.addHeader("X-Forwarded-For", forwardedFor);
		}
		return request;
	}
}
