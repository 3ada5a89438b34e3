package io.orderly.edge.internal;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A small connection pool of the edge's own whose connections search schema {@code edge}
 * first. Spring Authorization Server's and Spring Security's JDBC stores name their tables
 * without a schema; this keeps them in the edge's schema, as every module keeps its tables in
 * its own, without touching the search path of the platform's pool.
 */
final class EdgeDatabase {

	private EdgeDatabase() {
	}

	static HikariDataSource poolBeside(DataSource platform) {
		HikariDataSource edge = poolBeside(platform, "orderly-edge", 4, java.time.Duration.ofSeconds(5));
		edge.setConnectionInitSql("set search_path to edge");
		return edge;
	}

	/** Another small pool on the platform's database, for work that must not queue behind the platform's. */
	static HikariDataSource poolBeside(DataSource platform, String name, int size, java.time.Duration connectionTimeout) {
		if (!(platform instanceof HikariDataSource main)) {
			throw new IllegalStateException("The edge expects the platform's Hikari pool, found " + platform.getClass());
		}
		HikariDataSource edge = new HikariDataSource();
		edge.setPoolName(name);
		edge.setJdbcUrl(main.getJdbcUrl());
		edge.setUsername(main.getUsername());
		edge.setPassword(main.getPassword());
		edge.setMaximumPoolSize(size);
		edge.setMinimumIdle(0);
		edge.setIdleTimeout(60_000);
		edge.setConnectionTimeout(Math.max(250, connectionTimeout.toMillis()));
		return edge;
	}
}
