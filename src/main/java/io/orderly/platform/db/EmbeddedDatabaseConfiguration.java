package io.orderly.platform.db;

import java.util.concurrent.ThreadLocalRandom;


import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default deployment: a real PostgreSQL started from binaries that ship as a Maven
 * artifact, so a new machine needs nothing but a JDK. Set {@code orderly.database.embedded=false}
 * and {@code spring.datasource.url} to use an external server instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "orderly.database.embedded", havingValue = "true", matchIfMissing = true)
class EmbeddedDatabaseConfiguration {

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(DatabaseProperties properties) {
		EmbeddedPostgres server = EmbeddedPostgresServers.serverFor(properties.dataDirectory(), properties.port(),
				properties.serverSettings());
		String database = properties.isolated()
				? properties.database() + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
				: properties.database();
		EmbeddedPostgresServers.createDatabaseIfMissing(server, database);
		HikariDataSource dataSource = new PlatformDataSource();
		dataSource.setJdbcUrl(server.getJdbcUrl("postgres", database));
		dataSource.setUsername("postgres");
		dataSource.setPoolName("orderly");
		return dataSource;
	}
}
