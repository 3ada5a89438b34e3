package io.orderly.platform.db;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An external PostgreSQL ({@code orderly.database.embedded=false}): {@code spring.datasource.*}
 * as Spring Boot reads them, in the platform's pool ({@link PlatformDataSource}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orderly.database.embedded", havingValue = "false")
class ExternalDatabaseConfiguration {

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	PlatformDataSource dataSource(DataSourceProperties properties) {
		PlatformDataSource dataSource = properties.initializeDataSourceBuilder().type(PlatformDataSource.class).build();
		dataSource.setPoolName("orderly");
		return dataSource;
	}
}
