package io.orderly.edge.internal;

import java.io.IOException;
import java.util.List;
import java.util.function.IntSupplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/** The two places in the security chains where requests draw from their buckets. */
final class RateLimitFilters {

	private RateLimitFilters() {
	}

	/**
	 * Before authentication, by client address: requests without credentials draw from the
	 * anonymous bucket; an address whose logins or credentials failed too often is refused
	 * (each failure, counted after the answer, draws from its failed-authentication bucket, and a
	 * login first checks that bucket has a token left, refusing when the store cannot say).
	 * Placed after CORS, so a 429 carries CORS headers too. Probes are never limited.
	 */
	static final class ByAddress extends OncePerRequestFilter {

		private final EdgeLimits limits;

		private final IntSupplier apiPort;

		ByAddress(EdgeLimits limits, IntSupplier apiPort) {
			this.limits = limits;
			this.apiPort = apiPort;
		}

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			int port = apiPort.getAsInt();
			return !limits.enabled() || (port > 0 && request.getLocalPort() != port)
					|| request.getRequestURI().startsWith("/actuator/health");
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String address = limits.clientAddress(request);
			boolean credentials = request.getHeader("Authorization") != null;
			boolean login = isLogin(request);
			List<RateLimiter.Outcome> outcomes = EdgeLimits.outcomes();
			java.util.Optional<java.time.Duration> blockedFor = credentials || login ? limits.blockedFor(address)
					: java.util.Optional.empty();
			if (blockedFor.isPresent()) {
				RateLimiter.Outcome blocked = new RateLimiter.Outcome(limits.failedAuth, false, 0, blockedFor.get(), false);
				refuse(response, blocked, outcomes, "Too many failed sign-ins or refused credentials from your address.");
				return;
			}
			if (login) {
				RateLimiter.Outcome left = limits.limiter().peek(limits.failedAuth, address);
				if (!left.admitted()) {
					refuse(response, left, outcomes, left.storeFailed()
							? "Sign-in is briefly unavailable: the limiter cannot check your address."
							: "Too many failed sign-ins from your address.");
					return;
				}
			}
			if (!credentials) {
				RateLimiter.Outcome outcome = limits.limiter().consume(limits.anonymous, address);
				outcomes.add(outcome);
				if (!outcome.admitted()) {
					refuse(response, outcome, outcomes, "Too many requests without credentials from your address: at most "
							+ EdgeLimits.quotaText(outcome.limit()) + ".");
					return;
				}
			}
			EdgeLimits.describe(response, outcomes);
			chain.doFilter(request, response);
			if ((credentials || login) && failed(request, response)) {
				limits.failedAuthentication(address);
			}
		}

		private void refuse(HttpServletResponse response, RateLimiter.Outcome refusal, List<RateLimiter.Outcome> outcomes,
				String detail) throws IOException {
			limits.limiter().refused(refusal, null);
			EdgeLimits.refuse(response, refusal, outcomes, detail);
		}

		private static boolean isLogin(HttpServletRequest request) {
			return "POST".equals(request.getMethod())
					&& ("/login".equals(request.getRequestURI()) || "/oauth2/token".equals(request.getRequestURI()));
		}

		private static boolean failed(HttpServletRequest request, HttpServletResponse response) {
			int status = response.getStatus();
			if (status == 401) {
				return true;
			}
			if ("/oauth2/token".equals(request.getRequestURI())) {
				return status == 400;
			}
			if ("/login".equals(request.getRequestURI())) {
				String location = response.getHeader("Location");
				return location != null && location.contains("error");
			}
			return false;
		}
	}

	/**
	 * After authorization, by caller: the bucket of the caller's tier (an API key's, or a token's
	 * tier claim, else the default tier), the caller's tenant's bucket, and for a checkout the
	 * global checkout bucket. A request refused by a later bucket has still drawn from the
	 * earlier ones.
	 */
	static final class ByCaller extends OncePerRequestFilter {

		private final EdgeLimits limits;

		ByCaller(EdgeLimits limits) {
			this.limits = limits;
		}

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return !limits.enabled();
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Authentication caller = SecurityContextHolder.getContext().getAuthentication();
			if (caller == null || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
				chain.doFilter(request, response);
				return;
			}
			String tier;
			String tenant;
			String key;
			if (caller instanceof ApiKeyAuthentication apiKey) {
				tier = apiKey.key().tier();
				tenant = apiKey.key().tenant();
				key = "key:" + apiKey.getName();
			}
			else if (caller instanceof JwtAuthenticationToken jwt) {
				tier = jwt.getToken().getClaimAsString(limits.properties().tierClaim());
				tenant = jwt.getToken().getClaimAsString(limits.properties().tenantClaim());
				key = "sub:" + caller.getName();
			}
			else {
				tier = null;
				tenant = null;
				key = "sub:" + caller.getName();
			}
			RateLimiter.Limit tierLimit = limits.tier(tier);
			List<RateLimiter.Outcome> outcomes = EdgeLimits.outcomes();
			if (!draw(tierLimit, key, outcomes, response, tierLimit.name(),
					"Your " + tierLimit.name() + " tier allows " + EdgeLimits.quotaText(tierLimit) + ".")) {
				return;
			}
			if (tenant != null && !tenant.isBlank() && !draw(limits.tenant, tenant, outcomes, response, tierLimit.name(),
					"Your tenant's callers together may make " + EdgeLimits.quotaText(limits.tenant) + ".")) {
				return;
			}
			if ("POST".equals(request.getMethod()) && "/v1/orders".equals(request.getRequestURI())
					&& !draw(limits.checkout, "all", outcomes, response, tierLimit.name(),
							"Checkout is busy: all callers together may place " + EdgeLimits.quotaText(limits.checkout)
									+ ".")) {
				return;
			}
			EdgeLimits.describe(response, outcomes);
			chain.doFilter(request, response);
		}

		private boolean draw(RateLimiter.Limit limit, String key, List<RateLimiter.Outcome> outcomes,
				HttpServletResponse response, String tier, String detail) throws IOException {
			RateLimiter.Outcome outcome = limits.limiter().consume(limit, key);
			outcomes.add(outcome);
			if (outcome.admitted()) {
				return true;
			}
			limits.limiter().refused(outcome, tier);
			EdgeLimits.refuse(response, outcome, outcomes, detail);
			return false;
		}
	}
}
