package io.orderly.payment.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.orderly.payment.internal.ProviderUnavailable.Failure;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provider's HTTP API (the PSP simulator's, shaped like Stripe's), one attempt per call:
 * retries belong to a decorator ({@link RetryingPaymentProvider}). Connect and read timeouts
 * are short, so a provider that hangs costs seconds, not minutes. Answers are read
 * tolerantly: unknown fields are ignored.
 */
final class HttpPaymentProvider implements PaymentProvider {

	private static final String AUTHORIZATIONS = "/psp/v1/authorizations";

	private final HttpClient client;

	private final String baseUrl;

	private final String account;

	private final Duration readTimeout;

	private final JsonMapper json;

	private final PspCallMetrics metrics;

	HttpPaymentProvider(String baseUrl, String account, Duration connectTimeout, Duration readTimeout, JsonMapper json,
			PspCallMetrics metrics) {
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		this.account = account;
		this.readTimeout = readTimeout;
		this.json = json;
		this.metrics = metrics;
	}

	@Override
	public ProviderAuthorization authorize(String idempotencyKey, String reference, long amountMinor, String currency,
			String token) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("reference", reference);
		body.put("amountMinor", amountMinor);
		body.put("currency", currency);
		body.put("token", token);
		return authorization(call("authorize", post(AUTHORIZATIONS, idempotencyKey, body), false));
	}

	@Override
	public ProviderAuthorization capture(String idempotencyKey, String authorizationId, long amountMinor) {
		return authorization(call("capture",
				post(path(authorizationId) + "/capture", idempotencyKey, Map.of("amountMinor", amountMinor)), false));
	}

	@Override
	public ProviderAuthorization voidAuthorization(String idempotencyKey, String authorizationId) {
		return authorization(call("void", post(path(authorizationId) + "/void", idempotencyKey, null), false));
	}

	@Override
	public ProviderAuthorization refund(String idempotencyKey, String authorizationId, long amountMinor) {
		return authorization(call("refund",
				post(path(authorizationId) + "/refunds", idempotencyKey, Map.of("amountMinor", amountMinor)), false));
	}

	@Override
	public Optional<ProviderAuthorization> find(String authorizationId) {
		return Optional.ofNullable(call("find", get(path(authorizationId)), true)).map(HttpPaymentProvider::authorization);
	}

	@Override
	public List<ProviderAuthorization> findByReference(String reference) {
		JsonNode list = call("lookup",
				get(AUTHORIZATIONS + "?reference=" + URLEncoder.encode(reference, StandardCharsets.UTF_8)), false);
		List<ProviderAuthorization> found = new ArrayList<>();
		JsonNode items = list.get("items");
		if (items != null) {
			items.forEach(item -> found.add(authorization(item)));
		}
		return found;
	}

	private static String path(String authorizationId) {
		return AUTHORIZATIONS + "/" + URLEncoder.encode(authorizationId, StandardCharsets.UTF_8);
	}

	private HttpRequest post(String path, String idempotencyKey, Object body) {
		return request(path).header("Idempotency-Key", idempotencyKey)
			.header("Content-Type", "application/json")
			.POST(body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
			.build();
	}

	private HttpRequest get(String path) {
		return request(path).GET().build();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(readTimeout)
			.header("Accept", "application/json")
			.header("Psp-Account", account);
	}

	/**
	 * Sends one request and returns the answer's JSON, or null for a 404 when
	 * {@code notFoundIsEmpty}; a refusal or no usable answer is thrown.
	 */
	private JsonNode call(String operation, HttpRequest request, boolean notFoundIsEmpty) {
		long start = System.nanoTime();
		String outcome = "ok";
		try {
			HttpResponse<String> response = send(operation, request);
			int status = response.statusCode();
			if (status >= 200 && status < 300) {
				return parse(operation, response.body());
			}
			if (status == 404 && notFoundIsEmpty) {
				outcome = "not_found";
				return null;
			}
			throw failed(operation, status, response);
		}
		catch (ProviderUnavailable ex) {
			outcome = ex.failure().name().toLowerCase(Locale.ROOT);
			throw ex;
		}
		catch (ProviderRefused ex) {
			outcome = "refused";
			throw ex;
		}
		finally {
			metrics.call(operation, outcome, System.nanoTime() - start);
		}
	}

	private HttpResponse<String> send(String operation, HttpRequest request) {
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpConnectTimeoutException | ConnectException ex) {
			throw new ProviderUnavailable(operation, Failure.CONNECTION_REFUSED, ex.toString(), null, ex);
		}
		catch (HttpTimeoutException ex) {
			throw new ProviderUnavailable(operation, Failure.TIMEOUT, "no answer within " + readTimeout, null, ex);
		}
		catch (IOException ex) {
			throw new ProviderUnavailable(operation, Failure.NO_RESPONSE, ex.toString(), null, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ProviderUnavailable(operation, Failure.NO_RESPONSE, "interrupted while waiting", null, ex);
		}
	}

	private JsonNode parse(String operation, String body) {
		try {
			return json.readTree(body);
		}
		catch (JacksonException ex) {
			// A cut-off answer: whatever the provider did, we cannot tell.
			throw new ProviderUnavailable(operation, Failure.NO_RESPONSE, "unreadable answer", null, ex);
		}
	}

	private RuntimeException failed(String operation, int status, HttpResponse<String> response) {
		String code = "http_" + status;
		String detail = null;
		try {
			JsonNode problem = json.readTree(response.body());
			code = text(problem, "code") != null ? text(problem, "code") : code;
			detail = text(problem, "detail");
		}
		catch (JacksonException | IllegalArgumentException ex) {
			// Not a problem document (a proxy's error page): the status says enough.
		}
		Duration retryAfter = response.headers()
			.firstValue("Retry-After")
			.filter(value -> value.matches("\\d{1,4}"))
			.map(value -> Duration.ofSeconds(Long.parseLong(value)))
			.orElse(null);
		if (status >= 500 || status == 429) {
			return new ProviderUnavailable(operation, Failure.SERVER_ERROR, status + " " + code, retryAfter, null);
		}
		if (status == 409 && "idempotency_key_in_use".equals(code)) {
			return new ProviderUnavailable(operation, Failure.KEY_IN_USE, detail, retryAfter, null);
		}
		return new ProviderRefused(operation, status, code, detail);
	}

	private static ProviderAuthorization authorization(JsonNode node) {
		return new ProviderAuthorization(text(node, "id"), text(node, "reference"), text(node, "status"),
				text(node, "declineCode"), number(node, "amountMinor"), text(node, "currency"),
				number(node, "capturedMinor"), number(node, "refundedMinor"));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.get(field);
		return value == null || value.isNull() ? null : value.asString();
	}

	private static long number(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value == null || value.isNull() ? 0 : value.asLong();
	}
}
