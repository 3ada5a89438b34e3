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

/**
 * A plain HTTP client for integration tests: real requests to the running server, each with
 * a bearer token. {@code new Http(port)} acts as the demo {@code admin} (who may do anything
 * and names the customer of an order); {@link #as} as another demo account;
 * {@link #anonymous} sends no token (probes, redirects, the simulator's own port).
 */
public final class Http {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final String base;

	private final java.util.function.Supplier<String> authorization;

	public Http(int port) {
		this(port, "admin");
	}

	private final Runnable forgetToken;

	private Http(int port, String account) {
		this.base = "http://localhost:" + port;
		this.authorization = account == null ? () -> null : () -> "Bearer " + Tokens.of(port, account);
		this.forgetToken = account == null ? () -> {
		} : () -> Tokens.forget(port, account);
	}

	/** A client acting as a demo account: alice, bob, support, operator, admin or shop. */
	public static Http as(int port, String account) {
		return new Http(port, account);
	}

	/** A client that sends no credentials. */
	public static Http anonymous(int port) {
		return new Http(port, null);
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
		return delete(path, Map.of());
	}

	public Response delete(String path, Map<String, String> headers) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), headers);
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
		boolean ownToken = !headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase);
		Response response = send(request.copy(), headers, ownToken);
		if (ownToken && response.status() == 401 && authorization.get() != null) {
			// Tests move their clock forward (hours, days): the kept token may have expired.
			forgetToken.run();
			response = send(request, headers, true);
		}
		return response;
	}

	private Response send(HttpRequest.Builder request, Map<String, String> headers, boolean ownToken) {
		request.timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
		String token = ownToken ? authorization.get() : null;
		if (token != null) {
			request.header("Authorization", token);
		}
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
