package io.orderly.shipping;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.platform.messaging.Outbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipping module as the checkout saga and an operator use it: commands through the
 * outbox, replies heard by a subscriber, dispatch and faults over HTTP. Each test works on
 * orders of its own.
 */
@IntegrationTest
@Import(ShippingTestConfiguration.class)
class ShippingIntegrationTest {

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	ShippingReplies replies;

	@Autowired
	ShippingFaults faults;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	private final String orderId = "order-" + UUID.randomUUID();

	@AfterEach
	void resetFaults() {
		faults.reset();
	}

	@Test
	void createsOneShipmentPerOrderAndAnswersARepeatedCommandWithTheSameId() {
		send(createShipment(orderId));
		send(createShipment(orderId));

		List<Object> answers = replies.await(orderId, 2);
		assertThat(answers).hasSize(2).allSatisfy(answer -> assertThat(answer).isInstanceOf(ShipmentCreated.class));
		String shipmentId = ((ShipmentCreated) answers.get(0)).shipmentId();
		assertThat(((ShipmentCreated) answers.get(1)).shipmentId()).isEqualTo(shipmentId);
		assertThat(rowsOf(orderId)).isEqualTo(1);

		Http.Response shipment = http().get("/v1/admin/shipments/" + orderId);
		assertThat(shipment.status()).isEqualTo(200);
		assertThat(shipment.json().get("shipmentId").asString()).isEqualTo(shipmentId);
		assertThat(shipment.json().get("state").asString()).isEqualTo("CREATED");
		assertThat(shipment.json().get("address").get("city").asString()).isEqualTo("Berlin");
		assertThat(shipment.json().get("items").get(0).get("sku").asString()).isEqualTo("MUG");
	}

	@Test
	void cancelsACreatedShipment() {
		send(createShipment(orderId));
		replies.await(orderId, 1);
		send(new CancelShipment(orderId));

		assertThat(replies.awaitNth(orderId, 2)).isEqualTo(new ShipmentCancelled(orderId));
		assertThat(stateOf(orderId)).isEqualTo("CANCELLED");
	}

	@Test
	void answersCancelledWhenTheOrderHasNoShipment() {
		send(new CancelShipment(orderId));

		assertThat(replies.awaitNth(orderId, 1)).isEqualTo(new ShipmentCancelled(orderId));
	}

	@Test
	void refusesToCancelADispatchedShipment() {
		send(createShipment(orderId));
		replies.await(orderId, 1);
		assertThat(http().post("/v1/admin/shipments/" + orderId + "/dispatch", "", Map.of()).status()).isEqualTo(200);
		send(new CancelShipment(orderId));

		assertThat(replies.awaitNth(orderId, 3))
			.isEqualTo(new ShipmentCancellationFailed(orderId, "already_dispatched"));
		assertThat(stateOf(orderId)).isEqualTo("DISPATCHED");
	}

	@Test
	void createsNoShipmentWhenTheCommandArrivesAfterItsCancellation() {
		send(new CancelShipment(orderId));
		send(createShipment(orderId));

		assertThat(replies.await(orderId, 2)).containsExactly(new ShipmentCancelled(orderId),
				new ShipmentCreationFailed(orderId, "already_cancelled"));
		JsonNode tombstone = http().get("/v1/admin/shipments/" + orderId).json();
		assertThat(tombstone.get("state").asString()).isEqualTo("CANCELLED");
		assertThat(tombstone.get("shipmentId").isNull()).isTrue();
		assertThat(http().post("/v1/admin/shipments/" + orderId + "/dispatch", "", Map.of()).status())
			.isEqualTo(409);
	}

	@Test
	void doesNotRecreateACancelledShipment() {
		send(createShipment(orderId));
		send(new CancelShipment(orderId));
		send(createShipment(orderId));

		List<Object> answers = replies.await(orderId, 3);
		assertThat(answers.get(1)).isEqualTo(new ShipmentCancelled(orderId));
		assertThat(answers.get(2)).isEqualTo(new ShipmentCreationFailed(orderId, "already_cancelled"));
		assertThat(stateOf(orderId)).isEqualTo("CANCELLED");
	}

	@Test
	void failsCancellationsWhileTheFaultIsSetAndCancelsAfterItIsReset() {
		send(createShipment(orderId));
		replies.await(orderId, 1);

		Http.Response set = http().put("/v1/admin/shipping/faults", "{\"failCancellations\": true}", Map.of());
		assertThat(set.status()).isEqualTo(200);
		assertThat(set.json().get("failCancellations").asBoolean()).isTrue();
		send(new CancelShipment(orderId));
		send(new CancelShipment(orderId));
		assertThat(replies.await(orderId, 3).subList(1, 3)).containsOnly(
				new ShipmentCancellationFailed(orderId, ShippingFaults.CARRIER_UNAVAILABLE));
		assertThat(stateOf(orderId)).isEqualTo("CREATED");

		assertThat(http().delete("/v1/admin/shipping/faults").status()).isEqualTo(204);
		assertThat(http().get("/v1/admin/shipping/faults").json().get("failCancellations").asBoolean()).isFalse();
		send(new CancelShipment(orderId));
		assertThat(replies.awaitNth(orderId, 4)).isEqualTo(new ShipmentCancelled(orderId));
		assertThat(stateOf(orderId)).isEqualTo("CANCELLED");
	}

	@Test
	void failsOnlyTheCountedNumberOfCancellations() {
		send(createShipment(orderId));
		replies.await(orderId, 1);
		faults.setCancellationsToFail(1);

		send(new CancelShipment(orderId));
		send(new CancelShipment(orderId));

		assertThat(replies.await(orderId, 3).subList(1, 3)).containsExactly(
				new ShipmentCancellationFailed(orderId, ShippingFaults.CARRIER_UNAVAILABLE),
				new ShipmentCancelled(orderId));
		assertThat(faults.settings().cancellationsToFail()).isZero();
	}

	@Test
	void failsCreationsWhileTheFaultIsSet() {
		faults.setFailCreations(true);
		send(createShipment(orderId));
		assertThat(replies.awaitNth(orderId, 1))
			.isEqualTo(new ShipmentCreationFailed(orderId, ShippingFaults.CARRIER_UNAVAILABLE));
		assertThat(rowsOf(orderId)).isZero();

		faults.reset();
		send(createShipment(orderId));
		assertThat(replies.awaitNth(orderId, 2)).isInstanceOf(ShipmentCreated.class);
	}

	@Test
	void dispatchesAShipmentOnceAndPublishesShipmentDispatched() {
		send(createShipment(orderId));
		String shipmentId = ((ShipmentCreated) replies.awaitNth(orderId, 1)).shipmentId();

		Http.Response first = http().post("/v1/admin/shipments/" + orderId + "/dispatch", "",
				Map.of("Idempotency-Key", UUID.randomUUID().toString()));
		Http.Response again = http().post("/v1/admin/shipments/" + orderId + "/dispatch", "", Map.of());
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().get("state").asString()).isEqualTo("DISPATCHED");
		assertThat(first.json().get("dispatchedAt").isNull()).isFalse();
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("dispatchedAt")).isEqualTo(first.json().get("dispatchedAt"));

		// The cancellation's answer comes after everything published before it for this order.
		send(new CancelShipment(orderId));
		assertThat(replies.await(orderId, 3)).containsExactly(new ShipmentCreated(orderId, shipmentId),
				new ShipmentDispatched(orderId, shipmentId),
				new ShipmentCancellationFailed(orderId, "already_dispatched"));
	}

	@Test
	void answersDispatchOfAnUnknownOrderWith404AndOfACancelledShipmentWith409() {
		Http.Response unknown = http().post("/v1/admin/shipments/" + orderId + "/dispatch", "", Map.of());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
		assertThat(http().get("/v1/admin/shipments/" + orderId).status()).isEqualTo(404);

		send(createShipment(orderId));
		send(new CancelShipment(orderId));
		replies.await(orderId, 2);
		Http.Response cancelled = http().post("/v1/admin/shipments/" + orderId + "/dispatch", "", Map.of());
		assertThat(cancelled.status()).isEqualTo(409);
		assertThat(cancelled.json().get("type").asString()).isEqualTo("/problems/shipment-cancelled");
		assertThat(stateOf(orderId)).isEqualTo("CANCELLED");
	}

	@Test
	void refusesBadInputWithAProblemAndKeepsTheFaults() {
		faults.setCancellationsToFail(2);
		Http http = http();

		assertProblem(http.put("/v1/admin/shipping/faults", "{\"cancellationsToFail\": -1}", Map.of()), 400);
		assertProblem(http.put("/v1/admin/shipping/faults", "{\"failCancelation\": true}", Map.of()), 400);
		assertProblem(http.put("/v1/admin/shipping/faults", "{\"failCancellations\": \"often\"}", Map.of()), 400);
		assertProblem(http.put("/v1/admin/shipping/faults", "{not json", Map.of()), 400);
		assertProblem(http.get("/v1/admin/shipments/" + "x".repeat(101)), 400);
		assertProblem(http.post("/v1/admin/shipments/bad%20id/dispatch", "", Map.of()), 400);

		assertThat(faults.settings()).isEqualTo(new ShippingFaults.Settings(false, 2, false, 0));
	}

	@Test
	void answersAnUnusableCreateShipmentWithAFailureReply() {
		send(new CreateShipment(orderId, address(), List.of()));

		assertThat(replies.awaitNth(orderId, 1)).isEqualTo(new ShipmentCreationFailed(orderId, "no_items"));
		assertThat(rowsOf(orderId)).isZero();
	}

	@Test
	void countsShipmentsCreatedCancelledAndDispatched() {
		double created = counter("orderly.shipping.shipments.created");
		double cancelled = counter("orderly.shipping.shipments.cancelled");
		double dispatched = counter("orderly.shipping.shipments.dispatched");
		String other = orderId + "-b";

		send(createShipment(orderId));
		send(createShipment(orderId));
		send(new CancelShipment(orderId));
		send(new CancelShipment(orderId));
		send(createShipment(other));
		replies.await(orderId, 4);
		replies.await(other, 1);
		http().post("/v1/admin/shipments/" + other + "/dispatch", "", Map.of());

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(counter("orderly.shipping.shipments.created") - created).isEqualTo(2);
			assertThat(counter("orderly.shipping.shipments.cancelled") - cancelled).isEqualTo(1);
			assertThat(counter("orderly.shipping.shipments.dispatched") - dispatched).isEqualTo(1);
		});
	}

	private void send(Object command) {
		String subject = switch (command) {
			case CreateShipment create -> create.orderId();
			case CancelShipment cancel -> cancel.orderId();
			default -> throw new IllegalArgumentException(command.toString());
		};
		transactions.executeWithoutResult(status -> outbox.publish(subject, command));
	}

	private static CreateShipment createShipment(String orderId) {
		return new CreateShipment(orderId, address(), List.of(new CreateShipment.Item("MUG", 2)));
	}

	private static ShippingAddress address() {
		return new ShippingAddress("Ada Lovelace", "Unter den Linden 1", null, "Berlin", "10117", "DE");
	}

	private int rowsOf(String orderId) {
		return jdbc.sql("select count(*) from shipping.shipments where order_id = :orderId")
			.param("orderId", orderId)
			.query(Integer.class)
			.single();
	}

	private String stateOf(String orderId) {
		return http().get("/v1/admin/shipments/" + orderId).json().get("state").asString();
	}

	private double counter(String name) {
		return meters.get(name).counter().count();
	}

	private Http http() {
		return new Http(port);
	}

	private static void assertProblem(Http.Response response, int status) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/problem+json");
		assertThat(response.json().get("type").asString()).isNotBlank();
	}
}
