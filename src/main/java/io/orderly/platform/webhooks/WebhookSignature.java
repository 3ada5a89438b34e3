package io.orderly.platform.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of webhook bodies, as payment providers make them: header
 * {@code Psp-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}. The timestamp
 * is signed with the body, so a captured request cannot be replayed later than the tolerance.
 */
public final class WebhookSignature {

	public static final String HEADER = "Psp-Signature";

	private WebhookSignature() {
	}

	public static String sign(String secret, long epochSeconds, String body) {
		return "t=" + epochSeconds + ",v1=" + hmac(secret, epochSeconds + "." + body);
	}

	/**
	 * Whether {@code header} is a valid signature of {@code body} made with {@code secret}
	 * within {@code tolerance} of {@code now}. Compared in constant time.
	 */
	public static boolean verify(String secret, String header, String body, Instant now, Duration tolerance) {
		if (header == null) {
			return false;
		}
		Long timestamp = null;
		String signature = null;
		for (String part : header.split(",")) {
			String[] pair = part.trim().split("=", 2);
			if (pair.length != 2) {
				continue;
			}
			if (pair[0].equals("t")) {
				try {
					timestamp = Long.parseLong(pair[1]);
				}
				catch (NumberFormatException ex) {
					return false;
				}
			}
			else if (pair[0].equals("v1")) {
				signature = pair[1];
			}
		}
		if (timestamp == null || signature == null
				|| Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
			return false;
		}
		byte[] expected = hmac(secret, timestamp + "." + body).getBytes(StandardCharsets.US_ASCII);
		return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
	}

	private static String hmac(String secret, String payload) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}
}
