package io.orderly.platform.db;

import javax.sql.DataSource;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The database's reachability, for the embedded and an external database alike. */
@Configuration(proxyBeanMethods = false)
class ReachabilityConfiguration {

	@Bean
	DatabaseReachability databaseReachability(DataSource dataSource, ApplicationEventPublisher events,
			DatabaseProperties properties) {
		return new DatabaseReachability(dataSource, events, properties.probeInterval(), properties.probeFailures());
	}
}
