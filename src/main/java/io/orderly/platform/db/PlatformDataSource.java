package io.orderly.platform.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The platform's Hikari pool, which refuses at once while {@link DatabaseReachability} finds
 * the database unreachable, instead of making each caller wait the pool's connection timeout
 * (Hikari reads that timeout once, at start). Both the embedded and an external database use
 * it ({@code spring.datasource.type}).
 */
public class PlatformDataSource extends HikariDataSource {

	private volatile boolean refusing;

	void refuseConnections(boolean refuse) {
		this.refusing = refuse;
	}

	boolean refusesConnections() {
		return refusing;
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (refusing) {
			throw new SQLTransientConnectionException(
					getPoolName() + " - the database cannot be reached (connections refused until it can)", "08001");
		}
		return super.getConnection();
	}
}
