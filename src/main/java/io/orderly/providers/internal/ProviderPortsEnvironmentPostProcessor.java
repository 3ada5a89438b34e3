package io.orderly.providers.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.orderly.platform.SimulatorPorts;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settles the simulated providers' ports before any bean is made, so each client reads
 * {@code orderly.notification.providers.<name>.url} as an ordinary property (default
 * {@code http://<host>:<port>}); port 0 becomes a port free now. Likewise the secret the
 * simulators sign receipts with and the notification module checks: unless set, a random one
 * of this process's (set it where the two run apart).
 */
public class ProviderPortsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The simulated providers, in port order. */
	public static final List<String> NAMES = List.of("sms-primary", "sms-secondary", "push-primary", "push-secondary");

	static final String SIGNING_SECRET = "orderly.providers.receipts.secret";

	static final String CHECKING_SECRET = "orderly.notification.receipts.secret";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> settled = new HashMap<>();
		String signing = environment.getProperty(SIGNING_SECRET);
		String checking = environment.getProperty(CHECKING_SECRET);
		if (signing == null || checking == null) {
			String secret = signing != null ? signing : checking;
			if (secret == null) {
				secret = SimulatorPorts.randomSecret();
			}
			settled.put(SIGNING_SECRET, secret);
			settled.put(CHECKING_SECRET, secret);
		}
		if (enabled(environment)) {
			int base = environment.getProperty("orderly.providers.base-port", Integer.class, 8091);
			String host = environment.getProperty("orderly.providers.host", "127.0.0.1");
			for (int i = 0; i < NAMES.size(); i++) {
				String name = NAMES.get(i);
				int port = base == 0 ? SimulatorPorts.freePort("a provider simulator") : base + i;
				settled.put("orderly.providers.ports." + name, port);
				String url = "orderly.notification.providers." + name + ".url";
				if (!environment.containsProperty(url)) {
					settled.put(url, "http://" + host + ":" + port);
				}
			}
		}
		environment.getPropertySources().addLast(new MapPropertySource("orderlyProviderPorts", settled));
	}

	private static boolean enabled(ConfigurableEnvironment environment) {
		Set<String> modules = Binder.get(environment)
			.bind("orderly.modules", Bindable.setOf(String.class))
			.orElse(Set.of("all"));
		return (modules.contains("all") || modules.contains("providers"))
				&& environment.getProperty("orderly.providers.enabled", Boolean.class, true);
	}

	@Override
	public int getOrder() {
		// After the configuration files are read.
		return Ordered.LOWEST_PRECEDENCE;
	}
}
