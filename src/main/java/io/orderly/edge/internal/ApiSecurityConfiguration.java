package io.orderly.edge.internal;

import java.time.Clock;
import java.util.List;

import io.orderly.platform.messaging.Notifications;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.CorsFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API's own filter chain: stateless, bearer tokens only, the rules of {@link AccessRules},
 * 401 and 403 as problems, CORS, security and cache headers as {@link ResponseHeaders} says.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
class ApiSecurityConfiguration {

	@Bean
	Revocations revocations(JdbcClient jdbc, Notifications notifications, Clock clock, AuthProperties properties) {
		return new Revocations(jdbc, notifications, clock, properties);
	}

	@Bean
	ApiKeys apiKeys(JdbcClient jdbc, Notifications notifications, Clock clock, AuthProperties properties) {
		return new ApiKeys(jdbc, notifications, clock, properties.apiKeys().cacheTtl());
	}

	@Bean
	JwtDecoder jwtDecoder(AuthProperties properties, Clock clock, ObjectProvider<SigningKeys> embeddedKeys,
			Revocations revocations) {
		SigningKeys keys = embeddedKeys.getIfAvailable();
		if (properties.embeddedIssuer()) {
			if (keys == null) {
				throw new IllegalStateException("The embedded issuer has no signing keys");
			}
			return TokenDecoding.embedded(keys, properties.issuer(), properties, clock, revocations);
		}
		return TokenDecoding.external(properties, clock, revocations);
	}

	/**
	 * No Micrometer observation around each security filter, authentication and authorization:
	 * they cost 8% of a read's CPU (docs/bench/edge-2026-12-04.md) and told nothing the request
	 * metrics (status 401, 403, 429) and the limiter's own rejection counters do not.
	 */
	@Bean
	SecurityObservationSettings securityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	/** Requests the firewall refuses are answered as problems; see {@link RequestFirewall}. */
	@Bean
	WebSecurityCustomizer requestFirewall() {
		return web -> web.httpFirewall(RequestFirewall.firewall()).requestRejectedHandler(RequestFirewall.problems());
	}

	static {
		// Controllers receive the caller from the token, not from the request: not a parameter of the API.
		org.springdoc.core.utils.SpringDocUtils.getConfig().addRequestWrapperToIgnore(io.orderly.edge.Caller.class);
	}

	/**
	 * Requests that came in on another listener of this process than the API's port (the
	 * simulators' own ports, which stand for outside systems with rules of their own) are
	 * not the API's business.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain otherPorts(HttpSecurity http, Environment environment) throws Exception {
		http.securityMatcher(request -> {
			String apiPort = environment.getProperty("local.server.port");
			return apiPort != null && request.getLocalPort() != Integer.parseInt(apiPort);
		})
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.csrf(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder, AuthProperties properties, ApiKeys keys,
			EdgeLimits limits, Environment environment, CorsProperties cors) throws Exception {
		// bin/bench-edge's baseline: refused unless the database is a throw-away one.
		if (properties.benchmarkWithoutSecurity()) {
			return BenchmarkWithoutSecurity.chain(http, environment);
		}
		JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(decoder);
		jwt.setJwtAuthenticationConverter(TokenDecoding.authentication(properties));
		AuthenticationManager tokens = new ProviderManager(jwt);
		AuthenticationManager apiKeys = ApiKeyAuthentication.manager(keys);
		http.cors(config -> config.configurationSource(ResponseHeaders.cors(cors))).headers(ResponseHeaders::apply);
		http.authorizeHttpRequests(AccessRules::apply)
			.oauth2ResourceServer(resource -> resource
				.authenticationManagerResolver(request -> ApiKeyAuthentication.presentsKey(request) ? apiKeys : tokens)
				.authenticationEntryPoint(ProblemResponses.unauthenticated())
				.accessDeniedHandler(ProblemResponses.forbidden()))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(ProblemResponses.unauthenticated())
				.accessDeniedHandler(ProblemResponses.forbidden()))
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.anonymous(anonymous -> {
			})
			.addFilterAfter(RateLimitConfiguration.byAddress(limits, environment), CorsFilter.class)
			.addFilterAfter(new ApiKeyAuthentication.ReadOnlyScope(), AuthorizationFilter.class)
			.addFilterAfter(new RateLimitFilters.ByCaller(limits), AuthorizationFilter.class);
		return http.build();
	}

	@Bean
	WebMvcConfigurer callerArguments() {
		return new WebMvcConfigurer() {
			@Override
			public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
				resolvers.add(new CallerArgumentResolver());
			}
		};
	}
}
