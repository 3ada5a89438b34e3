package io.orderly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for integration tests: real requests to the running server. */
public final class Http {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final String base;

	public Http(int port) {
		this.base = "http://localhost:" + port;
	}

	/** A response with its body, parsed as JSON where it is JSON. */
	public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

		public JsonNode json() {
			return Http.json.readTree(body);
		}

		public String header(String name) {
			return headers.entrySet()
				.stream()
				.filter(e -> e.getKey().equalsIgnoreCase(name))
				.findFirst()
				.map(e -> e.getValue().getFirst())
				.orElse(null);
		}
	}

	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Map.of());
	}

	/** A GET with extra headers. */
	public Response send(String path, Map<String, String> headers) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
	}

	public Response delete(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), Map.of());
	}

	public Response post(String path, String body, Map<String, String> headers) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body)),
				headers);
	}

	public Response put(String path, String body, Map<String, String> headers) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(body)),
				headers);
	}

	public static String toJson(Object value) {
		return json.writeValueAsString(value);
	}

	private Response send(HttpRequest.Builder request, Map<String, String> headers) {
		request.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
