package io.orderly.edge.internal;

import java.util.List;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * What the API chain adds to every response: CORS for the configured origins, the security
 * headers, and the caching rule.
 *
 * <p>CORS is answered by Spring Security's {@code CorsFilter}, which sits before
 * authentication: a preflight is answered without a token, and a 401, 403 or 429 to an
 * allowed origin carries {@code Access-Control-Allow-Origin} like any other answer, so a
 * browser client can read it.
 *
 * <p>Caching: a response that does not say otherwise is {@code Cache-Control: private,
 * no-store}: API answers are the caller's own (their orders, their links) and must not be
 * kept by a shared cache nor on the caller's disk. An endpoint that knows better sets its
 * own {@code Cache-Control} (the catalog does), and that one is kept.
 */
final class ResponseHeaders {

	/** The strict policy of a JSON API: it loads nothing and may be framed by nobody. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

	static final String CACHE_CONTROL = "private, no-store";

	private ResponseHeaders() {
	}

	/**
	 * The CORS rules of the API, or none when no origin is configured. Not a bean: a
	 * {@code UrlBasedCorsConfigurationSource} bean makes Spring Security apply CORS to every
	 * filter chain (the login page's too), and Spring MVC already has a
	 * {@code CorsConfigurationSource} bean of its own.
	 */
	static CorsConfigurationSource cors(CorsProperties properties) {
		if (properties.allowedOrigins().isEmpty()) {
			return request -> null;
		}
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(properties.allowedOrigins());
		cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE", "OPTIONS"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key", "If-None-Match"));
		cors.setExposedHeaders(List.of("RateLimit", "RateLimit-Policy", "Retry-After", "ETag", "Location",
				"Deprecation", "Sunset", "Link"));
		// Bearer tokens, no cookies: credentials mode is not needed.
		cors.setAllowCredentials(false);
		return request -> cors;
	}

	/**
	 * Spring Security's defaults (nosniff, {@code X-Frame-Options: DENY}, HSTS on secure
	 * requests only) with our cache rule in place of its {@code no-cache, no-store, max-age=0,
	 * must-revalidate} and {@code Pragma}, plus {@code Referrer-Policy: no-referrer} and a
	 * strict Content-Security-Policy for everything but Swagger UI (an HTML page with scripts
	 * and styles of its own; the login page is in a chain of its own).
	 */
	static void apply(HeadersConfigurer<HttpSecurity> headers) {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		headers.cacheControl(HeadersConfigurer.CacheControlConfig::disable)
			// Written only when the response has no Cache-Control of its own.
			.addHeaderWriter(new StaticHeadersWriter("Cache-Control", CACHE_CONTROL))
			.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
			.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
					new NegatedRequestMatcher(
							new OrRequestMatcher(paths.matcher("/swagger-ui.html"), paths.matcher("/swagger-ui/**"))),
					new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY)));
	}
}
