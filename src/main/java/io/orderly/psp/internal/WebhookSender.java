package io.orderly.psp.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.orderly.platform.webhooks.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.Environment;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells the merchant what happened to an authorization, as providers do: an event
 * {@code {id, type, createdAt, data}} POSTed to the webhook URL once the change is committed,
 * signed ({@code Psp-Signature: t=<seconds>,v1=<HMAC-SHA256 of "t.body">}), retried a few times
 * with backoff when the merchant does not answer 2xx. Like a real provider it may deliver an
 * event twice or out of order.
 */
class WebhookSender {

	private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

	private static final int ATTEMPTS = 5;

	private final PspProperties.Webhooks settings;

	private final Environment environment;

	private final JsonMapper json;

	private final Clock clock;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	WebhookSender(PspProperties.Webhooks settings, Environment environment, JsonMapper json, Clock clock) {
		this.settings = settings;
		this.environment = environment;
		this.json = json;
		this.clock = clock;
	}

	/** Sends {@code type} about {@code authorization} once the current transaction commits. */
	void emit(String type, AuthorizationView authorization) {
		if (!settings.enabled()) {
			return;
		}
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("id", "evt_" + UUID.randomUUID());
		event.put("type", type);
		event.put("createdAt", clock.instant().toString());
		event.put("data", authorization);
		String body = json.writeValueAsString(event);
		Runnable send = () -> Thread.ofVirtual().name("psp-webhook").start(() -> deliver(body));
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					send.run();
				}
			});
		}
		else {
			send.run();
		}
	}

	private void deliver(String body) {
		String url = url();
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			try {
				long now = clock.instant().getEpochSecond();
				HttpRequest request = HttpRequest.newBuilder(URI.create(url))
					.timeout(Duration.ofSeconds(5))
					.header("Content-Type", "application/json")
					.header(WebhookSignature.HEADER, WebhookSignature.sign(settings.secret(), now, body))
					.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
					.build();
				int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status / 100 == 2) {
					return;
				}
				log.debug("Webhook to {} answered {} (attempt {})", url, status, attempt);
			}
			catch (java.io.IOException ex) {
				log.debug("Webhook to {} failed (attempt {}): {}", url, attempt, ex.toString());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			try {
				// The backoff between deliveries, as a provider's: each event has a virtual thread of
				// its own, so waiting here holds up nothing else, and nobody waits for the outcome.
				Thread.sleep(Duration.ofMillis(200L << attempt));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		log.warn("Webhook to {} not delivered after {} attempts", url, ATTEMPTS);
	}

	private String url() {
		if (settings.url() != null && !settings.url().isBlank()) {
			return settings.url();
		}
		return "http://localhost:" + environment.getProperty("local.server.port", "8080") + "/v1/webhooks/psp";
	}
}
