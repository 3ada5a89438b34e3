package io.orderly.notification;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.order.OrderCancelled;
import io.orderly.order.OrderConfirmed;
import io.orderly.platform.messaging.Outbox;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notification module as the order module's events reach it: events through the outbox,
 * emails to a recording provider, deliveries over HTTP, events heard by a subscriber. Each
 * test works on orders of its own.
 */
@IntegrationTest
@Import(NotificationTestConfiguration.class)
class NotificationIntegrationTest {

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	RecordingEmailSender emails;

	@Autowired
	NotificationReplies events;

	@LocalServerPort
	int port;

	private final String orderId = "order-" + UUID.randomUUID();

	@Test
	void sendsOneConfirmationWhenOrderConfirmedIsPublishedTwice() {
		publish(new OrderConfirmed(orderId, "c-1", 2598, "EUR"));
		publish(new OrderConfirmed(orderId, "c-1", 2598, "EUR"));
		// Events of one order arrive in order: once the cancellation is handled, so are both confirmations.
		publish(new OrderCancelled(orderId, "c-1", "customer_request"));

		List<Object> sent = events.await(orderId, 2);
		assertThat(sent).hasSize(2).allSatisfy(event -> assertThat(event).isInstanceOf(NotificationSent.class));
		List<JsonNode> deliveries = deliveries(orderId);
		assertThat(deliveries).extracting(d -> d.get("template").asString())
			.containsExactly("order-confirmed", "order-cancelled");
		assertThat(emails.attemptsFor(orderId)).hasSize(2);

		JsonNode confirmation = deliveries.getFirst();
		assertThat(confirmation.get("body").asString()).contains(orderId).contains("25.98 EUR");
		assertThat(confirmation.get("channel").asString()).isEqualTo("EMAIL");
		assertThat(confirmation.get("status").asString()).isEqualTo("SENT");
		assertThat(confirmation.get("customerId").asString()).isEqualTo("c-1");
		assertThat(((NotificationSent) sent.getFirst()).deliveryId()).isEqualTo(confirmation.get("id").asString());
	}

	@Test
	void tellsTheCustomerWhyTheOrderWasCancelled() {
		publish(new OrderCancelled(orderId, "c-2", "payment_declined"));

		assertThat(events.await(orderId, 1).getFirst()).isInstanceOf(NotificationSent.class);
		List<JsonNode> deliveries = deliveries(orderId);
		assertThat(deliveries).hasSize(1);
		assertThat(deliveries.getFirst().get("template").asString()).isEqualTo("order-cancelled");
		assertThat(deliveries.getFirst().get("body").asString()).contains(orderId).contains("payment declined");
		assertThat(emails.attemptsFor(orderId).getFirst().subject()).contains("cancelled");
	}

	@Test
	void recordsAFailedDeliveryWhenTheProviderRefusesTheEmail() {
		publish(new OrderConfirmed(orderId, "bounce-3", 100, "EUR"));

		assertThat(events.await(orderId, 1)).containsExactly(new NotificationFailed(orderId, RecordingEmailSender.BOUNCED));
		JsonNode delivery = deliveries(orderId).getFirst();
		assertThat(delivery.get("status").asString()).isEqualTo("FAILED");
		assertThat(delivery.get("failureReason").asString()).isEqualTo(RecordingEmailSender.BOUNCED);
	}

	@Test
	void retriesWhenTheProviderFailsForNowAndRecordsOneDelivery() {
		publish(new OrderConfirmed(orderId, "flaky-4", 100, "EUR"));

		assertThat(events.await(orderId, 1).getFirst()).isInstanceOf(NotificationSent.class);
		assertThat(emails.attemptsFor(orderId)).hasSize(2);
		assertThat(deliveries(orderId)).hasSize(1);
	}

	@Test
	void refusesAListWithoutAValidOrderId() {
		Http http = new Http(port);
		for (String query : List.of("", "?orderId=", "?orderId=" + "x".repeat(101), "?orderId=a%20b")) {
			Http.Response response = http.get("/v1/admin/notifications" + query);
			assertThat(response.status()).as(query).isEqualTo(400);
			assertThat(response.header("Content-Type")).as(query).startsWith("application/problem+json");
		}
		assertThat(http.get("/v1/admin/notifications?orderId=" + orderId).json().get("items").isEmpty()).isTrue();
	}

	private void publish(Object event) {
		String subject = switch (event) {
			case OrderConfirmed confirmed -> confirmed.orderId();
			case OrderCancelled cancelled -> cancelled.orderId();
			default -> throw new IllegalArgumentException(event.toString());
		};
		transactions.executeWithoutResult(status -> outbox.publish(subject, event));
	}

	private List<JsonNode> deliveries(String orderId) {
		Http.Response response = new Http(port).get("/v1/admin/notifications?orderId=" + orderId);
		assertThat(response.status()).isEqualTo(200);
		return response.json().get("items").valueStream().toList();
	}
}
