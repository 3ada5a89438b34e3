package io.orderly.links.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * Where this instance serves short links: {@code orderly.links.base-url} when set, else the
 * address it really listens on ({@code http://localhost:PORT}, the port the server bound, so a
 * changed or random port gives right short URLs). And whether a URL's host and port are this
 * server itself (a loopback or local address, or this machine's name, on the listening port),
 * whatever the base URL says: a link there would redirect to itself.
 */
public final class OwnAddress {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private final URI configured;

	private final IntSupplier listeningPort;

	private final String machineName;

	OwnAddress(URI configured, IntSupplier listeningPort) {
		this.configured = configured;
		this.listeningPort = listeningPort;
		this.machineName = machineName();
	}

	/** The base of short URLs, without a trailing slash. */
	public String base() {
		if (configured == null) {
			return "http://localhost:" + listeningPort.getAsInt();
		}
		String base = configured.toString();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/**
	 * Whether {@code asciiHost} (lower case) on {@code port} reaches this server. IPv6 literals
	 * never get here: {@link LinkTargets} refuses them as host names.
	 */
	boolean isThisServer(String asciiHost, int port) {
		return port == listeningPort.getAsInt() && isThisMachine(asciiHost);
	}

	private boolean isThisMachine(String host) {
		if (host.equals("localhost") || host.endsWith(".localhost") || host.equals(machineName)) {
			return true;
		}
		if (!IPV4.matcher(host).matches()) {
			return false; // a name: not resolved here (no lookups of what users send)
		}
		try {
			// An address literal: no name lookup happens.
			InetAddress address = InetAddress.getByName(host);
			return address.isLoopbackAddress() || address.isAnyLocalAddress()
					|| NetworkInterface.getByInetAddress(address) != null;
		}
		catch (UnknownHostException | SocketException ex) {
			return false;
		}
	}

	private static String machineName() {
		try {
			return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}
}
