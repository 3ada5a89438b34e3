package io.orderly.psp.internal;

import java.util.HashMap;
import java.util.Map;

import io.orderly.platform.SimulatorPorts;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settles the simulator's port before any bean is made, so that {@code orderly.psp.base-url}
 * is an ordinary property every client can read at startup. Port 0 (tests) becomes a port
 * that is free now (below the ephemeral range); the server binds it moments later. Likewise the webhook secret the
 * simulator signs with and the payment module checks: unless configured, a random one for
 * this process (no secret in the code); a payment module in another process than its PSP must
 * be given the PSP's secret.
 */
public class PspPortEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PORT = "orderly.psp.port";

	static final String BASE_URL = "orderly.psp.base-url";

	static final String SIGNING_SECRET = "orderly.psp.webhooks.secret";

	static final String CHECKING_SECRET = "orderly.payment.webhooks.secret";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		settleWebhookSecret(environment);
		if (!PspEnabled.in(environment)) {
			return;
		}
		int port = environment.getProperty(PORT, Integer.class, 8090);
		if (port == 0) {
			port = SimulatorPorts.freePort("the PSP simulator");
		}
		Map<String, Object> settled = new HashMap<>();
		settled.put(PORT, port);
		if (!environment.containsProperty(BASE_URL)) {
			settled.put(BASE_URL, "http://localhost:" + port);
		}
		environment.getPropertySources().addFirst(new MapPropertySource("orderlyPspPort", settled));
	}

	private static void settleWebhookSecret(ConfigurableEnvironment environment) {
		String signing = environment.getProperty(SIGNING_SECRET);
		String checking = environment.getProperty(CHECKING_SECRET);
		if (signing != null && checking != null) {
			return;
		}
		String secret = signing != null ? signing : checking;
		if (secret == null) {
			secret = SimulatorPorts.randomSecret();
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("orderlyWebhookSecret", Map.of(SIGNING_SECRET, secret, CHECKING_SECRET, secret)));
	}

	@Override
	public int getOrder() {
		// After the configuration files are read.
		return Ordered.LOWEST_PRECEDENCE;
	}
}
