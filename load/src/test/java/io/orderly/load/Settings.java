package io.orderly.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** Settings of a load run, from system properties, and a plain HTTP client for setting up. */
final class Settings {

	static final String BASE_URL = System.getProperty("orderly.baseUrl", "http://localhost:8080");

	/** The bearer token of the run's requests to protected endpoints (bin/load-* pass shop's). */
	static final String TOKEN = System.getProperty("orderly.token", "");

	/** The bearer token of the setup requests (products and stock: an operator's). */
	static final String OPERATOR_TOKEN = System.getProperty("orderly.operatorToken", "");

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Settings() {
	}

	static int integer(String name, int fallback) {
		return Integer.parseInt(System.getProperty("orderly." + name, Integer.toString(fallback)));
	}

	static String string(String name, String fallback) {
		return System.getProperty("orderly." + name, fallback);
	}

	/** The Authorization header's value for a token. */
	static String bearer(String token) {
		return "Bearer " + token;
	}

	/** Sends a setup request, as the operator; fails the run on anything but 2xx. */
	static String send(String method, String path, String json) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(BASE_URL + path))
			.method(method, HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.timeout(Duration.ofSeconds(30));
		if (!OPERATOR_TOKEN.isBlank()) {
			builder.header("Authorization", bearer(OPERATOR_TOKEN));
		}
		HttpRequest request = builder.build();
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
