package io.orderly.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the simulators (the PSP's, the notification providers') settle before any bean is made:
 * a free port when they are given 0 (tests), and a random secret for the webhooks they sign
 * when none is configured.
 */
public final class SimulatorPorts {

	private SimulatorPorts() {
	}

	/**
	 * A port free now, below the range the system hands out for outgoing connections (32768 and
	 * up on Linux): the simulator binds it moments later, and a client socket opened meanwhile
	 * must not take it.
	 */
	public static int freePort(String whose) {
		for (int i = 0; i < 200; i++) {
			int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
			try (ServerSocket socket = new ServerSocket(port)) {
				return socket.getLocalPort();
			}
			catch (IOException taken) {
				// Try another.
			}
		}
		throw new UncheckedIOException(new IOException("No free port for " + whose));
	}

	/** A random secret for this process's webhooks (no secret in the code). */
	public static String randomSecret() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}
}
