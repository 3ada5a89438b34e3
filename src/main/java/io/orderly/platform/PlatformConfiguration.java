package io.orderly.platform;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

	/**
	 * The one source of time; tests replace it with a clock they move. It ticks in
	 * microseconds, what PostgreSQL keeps: an instant answered at once (an order's
	 * {@code createdAt} in the POST response) is the instant read back later.
	 */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
	}
}
