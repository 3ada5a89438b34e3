package io.orderly.notification.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.orderly.notification.internal.ProviderClient.Answer;
import io.orderly.notification.internal.ProviderClient.NotTaken;
import io.orderly.notification.internal.ProviderClient.Refused;
import io.orderly.notification.internal.ProviderClient.Taken;
import io.orderly.notification.internal.ProviderClient.Unknown;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An SMS or push provider's HTTP API: {@code POST /v1/messages} with an {@code Idempotency-Key};
 * 200/202 taken (its id names the message in receipts), 400/422 refused, 429/503 not taken,
 * anything else, or no answer, unknown.
 */
final class HttpTransport implements ProviderClient.Transport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Channel channel;

	private final URI messages;

	private final Duration timeout;

	private final HttpClient http;

	HttpTransport(String name, Channel channel, NotificationProperties.Provider settings) {
		if (settings.url() == null || settings.url().isBlank()) {
			throw new IllegalArgumentException("orderly.notification.providers." + name + ".url is not set");
		}
		this.channel = channel;
		this.messages = URI.create(settings.url().replaceAll("/+$", "") + "/v1/messages");
		this.timeout = settings.timeout();
		this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
	}

	@Override
	public Answer call(String key, ChannelSender.Outgoing outgoing) throws InterruptedException {
		Map<String, String> message = channel == Channel.SMS
				? Map.of("to", outgoing.address(), "text", outgoing.body())
				: Map.of("to", outgoing.address(), "title", outgoing.subject(), "text", outgoing.body());
		HttpRequest request = HttpRequest.newBuilder(messages)
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message), StandardCharsets.UTF_8))
			.build();
		HttpResponse<String> response;
		try {
			response = http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpConnectTimeoutException | ConnectException notReached) {
			return new NotTaken("unreachable: " + notReached.getClass().getSimpleName(), true);
		}
		catch (HttpTimeoutException noAnswer) {
			return new Unknown("timeout after " + timeout.toMillis() + " ms");
		}
		catch (IOException lost) {
			return new Unknown("no answer: " + lost.getClass().getSimpleName());
		}
		int status = response.statusCode();
		if (status == 200 || status == 202) {
			try {
				JsonNode body = JSON.readTree(response.body());
				return new Taken(body.path("id").asString());
			}
			catch (RuntimeException unreadable) {
				return new Unknown("unreadable answer");
			}
		}
		if (status == 422 || status == 400) {
			return new Refused(status == 422 ? "invalid_recipient" : "bad_request");
		}
		// 429 and 503 say the provider did not take it, so another may (429: not now, no attempt spent);
		// any other answer leaves it unknown.
		return status == 429 || status == 503 ? new NotTaken("http_" + status, status == 503)
				: new Unknown("http_" + status);
	}
}
