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

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private Settings() {
	}

	static int integer(String name, int fallback) {
		return Integer.parseInt(System.getProperty("orderly." + name, Integer.toString(fallback)));
	}

	static String string(String name, String fallback) {
		return System.getProperty("orderly." + name, fallback);
	}

	/** Sends a setup request; fails the run on anything but 2xx. */
	static String send(String method, String path, String json) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(BASE_URL + path))
			.method(method, HttpRequest.BodyPublishers.ofString(json))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.timeout(Duration.ofSeconds(30))
			.build();
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
