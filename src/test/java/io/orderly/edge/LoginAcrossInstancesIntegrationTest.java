package io.orderly.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.OrderlyApplication;
import io.orderly.Tokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances on one database, and a person's login whose steps alternate between them, as
 * behind a load balancer without sticky sessions: the login page's session lives in the
 * database, so either instance continues what the other began.
 */
@IntegrationTest
class LoginAcrossInstancesIntegrationTest {

	@LocalServerPort
	int port;

	@Autowired
	HikariDataSource dataSource;

	@Test
	void aLoginBegunOnOneInstanceEndsOnAnother() {
		String url = dataSource.getJdbcUrl();
		String database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
		try (ConfigurableApplicationContext other = new SpringApplicationBuilder(OrderlyApplication.class)
			.profiles("test")
			// Arguments, so they win over the test profile's own (a database per context).
			.run("--server.port=0", "--orderly.psp.port=0", "--orderly.database.isolated=false",
					"--orderly.database.database=" + database, "--spring.main.banner-mode=off")) {
			int otherPort = ((WebServerApplicationContext) other).getWebServer().getPort();

			Tokens.Login login = Tokens.login(port, otherPort, "alice", Tokens.PASSWORD);

			for (int instance : new int[] { port, otherPort }) {
				Http.Response mine = new Http(instance).send("/v1/orders",
						Map.of("Authorization", "Bearer " + login.accessToken()));
				assertThat(mine.status()).as("alice's token on port " + instance).isEqualTo(200);
			}
		}
	}
}
