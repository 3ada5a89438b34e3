package io.orderly.edge.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The edge's rate limits: token buckets that refill in full once per period, so that no period
 * admits more than the capacity.
 *
 * @param enabled off only for measuring what the limits cost
 * @param store where buckets live: {@code postgresql} (shared by the instances on one database),
 *        {@code redis} (shared, {@code redis-url}), {@code local} (one instance only), or
 *        {@code auto} (the default): {@code local} with the embedded database, which has one
 *        instance by construction, {@code postgresql} with an external one
 * @param redisUrl for {@code store=redis}, e.g. {@code redis://127.0.0.1:6379/0}
 * @param storeTimeout how long a request waits for the store before its limit's failure policy
 *        decides
 * @param tiers per caller (API key, machine client, user): capacity per period by tier
 * @param defaultTier the tier of a token without a tier claim
 * @param tierClaim the token claim that names a caller's tier
 * @param tenantClaim the token claim that names a caller's tenant (API keys carry their own)
 * @param tenant per tenant, shared by all its callers
 * @param checkout for all of {@code POST /v1/orders} together: protects the checkout
 * @param anonymous per client address, requests without credentials
 * @param failedAuth per client address, failed logins and refused credentials; checked before
 *        a login, which it refuses when the store cannot say (fail closed)
 * @param unsynchronizedShare with a shared store, the share of a bucket's capacity each instance
 *        may hand out before it settles with the store (Bucket4j's delaying optimization): a
 *        store round trip per that many requests instead of per request; each instance may
 *        admit that much over the limit (0.003 × 3 instances = 0.9%). Below one token, every
 *        request asks the store (small limits stay exact)
 * @param trustedProxies addresses or CIDR ranges whose {@code X-Forwarded-For} is believed
 */
@ConfigurationProperties("orderly.rate-limits")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("auto") String store,
		String redisUrl, @DefaultValue("250ms") Duration storeTimeout,
		@DefaultValue Map<String, Quota> tiers, @DefaultValue("standard") String defaultTier,
		@DefaultValue("tier") String tierClaim, @DefaultValue("tenant") String tenantClaim,
		Quota tenant, Quota checkout, Quota anonymous, Quota failedAuth, @DefaultValue List<String> trustedProxies,
		@DefaultValue("0.003") double unsynchronizedShare) {

	static final Map<String, Quota> DEFAULT_TIERS = Map.of("free", new Quota(60, Duration.ofMinutes(1)), "standard",
			new Quota(600, Duration.ofMinutes(1)), "premium", new Quota(6000, Duration.ofMinutes(1)));

	public RateLimitProperties {
		if (!List.of("auto", "postgresql", "redis", "local").contains(store)) {
			throw new IllegalArgumentException("orderly.rate-limits.store must be auto, postgresql, redis or local: " + store);
		}
		if (unsynchronizedShare < 0 || unsynchronizedShare > 0.05) {
			throw new IllegalArgumentException("orderly.rate-limits.unsynchronized-share must be 0 to 0.05: " + unsynchronizedShare);
		}
		if ("redis".equals(store) && (redisUrl == null || redisUrl.isBlank())) {
			throw new IllegalArgumentException("orderly.rate-limits.store=redis needs orderly.rate-limits.redis-url");
		}
		tenant = tenant != null ? tenant : new Quota(20_000, Duration.ofMinutes(1));
		checkout = checkout != null ? checkout : new Quota(3_000, Duration.ofMinutes(1));
		anonymous = anonymous != null ? anonymous : new Quota(300, Duration.ofMinutes(1));
		failedAuth = failedAuth != null ? failedAuth : new Quota(20, Duration.ofMinutes(1));
		java.util.Map<String, Quota> merged = new java.util.HashMap<>(DEFAULT_TIERS);
		merged.putAll(tiers);
		tiers = Map.copyOf(merged);
		if (!tiers.containsKey(defaultTier)) {
			throw new IllegalArgumentException("orderly.rate-limits.default-tier names no tier: " + defaultTier);
		}
	}

	/** At most {@code capacity} requests per {@code period} (a minute unless given). */
	public record Quota(long capacity, @DefaultValue("1m") Duration period) {

		public Quota {
			if (capacity < 1 || period.isNegative() || period.isZero()) {
				throw new IllegalArgumentException("A rate limit needs a positive capacity and period");
			}
		}
	}
}
