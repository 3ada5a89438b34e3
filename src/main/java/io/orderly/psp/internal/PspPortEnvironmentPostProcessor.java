package io.orderly.psp.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Settles the simulator's port before any bean is made, so that {@code orderly.psp.base-url}
 * is an ordinary property every client can read at startup. Port 0 (tests) becomes a port
 * that is free now; the server binds it moments later.
 */
public class PspPortEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PORT = "orderly.psp.port";

	static final String BASE_URL = "orderly.psp.base-url";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!PspEnabled.in(environment)) {
			return;
		}
		int port = environment.getProperty(PORT, Integer.class, 8090);
		if (port == 0) {
			port = freePort();
		}
		Map<String, Object> settled = new HashMap<>();
		settled.put(PORT, port);
		if (!environment.containsProperty(BASE_URL)) {
			settled.put(BASE_URL, "http://localhost:" + port);
		}
		environment.getPropertySources().addFirst(new MapPropertySource("orderlyPspPort", settled));
	}

	@Override
	public int getOrder() {
		// After the configuration files are read.
		return Ordered.LOWEST_PRECEDENCE;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port for the PSP simulator", ex);
		}
	}
}
