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
		if (!(platform instanceof HikariDataSource main)) {
			throw new IllegalStateException("The edge expects the platform's Hikari pool, found " + platform.getClass());
		}
		HikariDataSource edge = new HikariDataSource();
		edge.setPoolName("orderly-edge");
		edge.setJdbcUrl(main.getJdbcUrl());
		edge.setUsername(main.getUsername());
		edge.setPassword(main.getPassword());
		edge.setConnectionInitSql("set search_path to edge");
		edge.setMaximumPoolSize(4);
		edge.setMinimumIdle(0);
		edge.setIdleTimeout(60_000);
		edge.setConnectionTimeout(5_000);
		return edge;
	}
}
