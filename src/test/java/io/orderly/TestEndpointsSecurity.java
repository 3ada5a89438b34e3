package io.orderly;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The test-only controllers under {@code /test/**} (gates, counters) are open in tests, and the
 * gate standing for a webhook ({@code /v1/webhooks/test/**}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestEndpointsSecurity {

	@Bean
	@Order(-1)
	SecurityFilterChain testEndpoints(HttpSecurity http) throws Exception {
		return http.securityMatcher("/test/**", "/v1/webhooks/test/**")
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.csrf(AbstractHttpConfigurer::disable)
			.build();
	}
}
