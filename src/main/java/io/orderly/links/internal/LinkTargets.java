package io.orderly.links.internal;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Checks and normalises the URL a link points to: http or https only, a host, no user info
 * (which hides the real host from a reader), at most {@value #MAX_LENGTH} characters, and not
 * a URL of the shortener itself (a redirect loop). Normal form: lower-case scheme and host,
 * the host in ASCII (IDNA), no default port, no fragment-less trailing junk, path "/" when empty.
 */
public final class LinkTargets {

	public static final int MAX_LENGTH = 2048;

	private final Set<String> ownHosts;

	private final BiPredicate<String, Integer> thisServer;

	/** @param ownHosts host names (lower case, with or without port) that reach this shortener */
	public LinkTargets(Set<String> ownHosts) {
		this(ownHosts, (host, port) -> false);
	}

	/**
	 * @param ownHosts host names (lower case, with or without port) that reach this shortener
	 * @param thisServer whether a host (lower case, ASCII) and port are this very server
	 */
	LinkTargets(Set<String> ownHosts, BiPredicate<String, Integer> thisServer) {
		this.ownHosts = Set.copyOf(ownHosts);
		this.thisServer = thisServer;
	}

	/** Why a target is refused, as said to the client. */
	public static final class InvalidTarget extends RuntimeException {

		InvalidTarget(String message) {
			super(message);
		}
	}

	public String normalise(String url) {
		if (url == null || url.isBlank()) {
			throw new InvalidTarget("must not be blank");
		}
		String trimmed = url.strip();
		if (trimmed.length() > MAX_LENGTH) {
			throw new InvalidTarget("must be at most " + MAX_LENGTH + " characters");
		}
		URI uri;
		try {
			uri = new URI(trimmed);
		}
		catch (URISyntaxException ex) {
			throw new InvalidTarget("is not a valid URL");
		}
		String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!"http".equals(scheme) && !"https".equals(scheme)) {
			throw new InvalidTarget("must be an http or https URL");
		}
		if (uri.getRawUserInfo() != null) {
			throw new InvalidTarget("must not contain user information");
		}
		String host = uri.getHost();
		if (host == null) {
			// new URI leaves the host out when it is not ASCII: parse the authority ourselves.
			host = hostOf(uri.getRawAuthority());
		}
		String asciiHost;
		try {
			asciiHost = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTarget("has an invalid host name");
		}
		if (asciiHost.isEmpty() || asciiHost.endsWith(".")) {
			asciiHost = asciiHost.isEmpty() ? asciiHost : asciiHost.substring(0, asciiHost.length() - 1);
		}
		if (asciiHost.isEmpty()) {
			throw new InvalidTarget("must name a host");
		}
		int port = uri.getPort();
		if (port == defaultPort(scheme)) {
			port = -1;
		}
		int effectivePort = port == -1 ? defaultPort(scheme) : port;
		if (ownHosts.contains(asciiHost) || ownHosts.contains(asciiHost + ":" + effectivePort)
				|| thisServer.test(asciiHost, effectivePort)) {
			throw new InvalidTarget("points back at this shortener");
		}
		StringBuilder normal = new StringBuilder(scheme).append("://").append(asciiHost);
		if (port != -1) {
			normal.append(':').append(port);
		}
		String path = uri.getRawPath();
		normal.append(path == null || path.isEmpty() ? "/" : path);
		if (uri.getRawQuery() != null) {
			normal.append('?').append(uri.getRawQuery());
		}
		if (uri.getRawFragment() != null) {
			normal.append('#').append(uri.getRawFragment());
		}
		if (normal.length() > MAX_LENGTH) {
			throw new InvalidTarget("must be at most " + MAX_LENGTH + " characters");
		}
		return normal.toString();
	}

	private static String hostOf(String authority) {
		if (authority == null) {
			throw new InvalidTarget("must name a host");
		}
		String host = authority;
		int colon = host.lastIndexOf(':');
		if (colon >= 0 && host.indexOf(']') < colon) {
			host = host.substring(0, colon);
		}
		return host;
	}

	private static int defaultPort(String scheme) {
		return "https".equals(scheme) ? 443 : 80;
	}
}
