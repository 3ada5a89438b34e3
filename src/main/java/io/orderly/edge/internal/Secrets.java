package io.orderly.edge.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How the edge keeps a random secret it must recognise but never show again (API keys, spent refresh tokens). */
final class Secrets {

	private Secrets() {
	}

	/** The SHA-256 of {@code secret}, in hex: enough for random secrets of 256 bits, and cheap per request. */
	static String sha256(String secret) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
