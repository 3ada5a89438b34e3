package io.orderly.shipping.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.webhooks.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The carrier, simulated: a parcel handed over at dispatch is delivered
 * {@code orderly.shipping.carrier.delivery-after} later and reported to us by a signed webhook
 * ({@code Carrier-Signature}, the scheme of {@link WebhookSignature}), at least once: a report not
 * answered 2xx (or lost on purpose, {@code lost-report-rate}) is sent again after
 * {@code retry-after}; some arrive twice ({@code duplicate-report-rate}). Its books are a table
 * ({@code shipping.carrier_parcels}), so a restart loses no report; no connection is held while
 * a report is sent. A 4xx answer ends the reports of that parcel (sending again cannot help).
 */
@Component
@ConditionalOnModule("shipping")
class Carrier {

	static final String SIGNATURE_HEADER = "Carrier-Signature";

	private static final Logger log = LoggerFactory.getLogger(Carrier.class);

	private static final int BATCH = 50;

	private record Parcel(UUID shipmentId, String orderId, Instant deliverAt) {
	}

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final CarrierProperties properties;

	private final Environment environment;

	private final JsonMapper json;

	private final Clock clock;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	Carrier(JdbcClient jdbc, TransactionTemplate transactions, CarrierProperties properties, Environment environment,
			JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.properties = properties;
		this.environment = environment;
		this.json = json;
		this.clock = clock;
	}

	/** In the dispatch's transaction: the parcel is the carrier's now. */
	void handOver(Shipment shipment) {
		if (!properties.enabled()) {
			return;
		}
		Instant deliverAt = clock.instant().plus(properties.deliveryAfter());
		jdbc.sql("""
				insert into shipping.carrier_parcels (shipment_id, order_id, deliver_at, next_attempt_at)
				values (:shipment, :order, :at, :at) on conflict do nothing""")
			.param("shipment", UUID.fromString(shipment.shipmentId()))
			.param("order", shipment.orderId())
			.param("at", Timestamp.from(deliverAt))
			.update();
	}

	@Scheduled(fixedDelayString = "${orderly.shipping.carrier.interval:1s}",
			initialDelayString = "${orderly.shipping.carrier.interval:1s}")
	void scheduled() {
		if (properties.enabled()) {
			reportDue();
		}
	}

	/** Reports the parcels delivered and not yet answered for; returns how many were answered now. */
	int reportDue() {
		List<Parcel> due = transactions.execute(status -> claimDue());
		int answered = 0;
		for (Parcel parcel : due) {
			if (report(parcel)) {
				answered++;
			}
		}
		return answered;
	}

	/** Takes the due parcels: their next attempt is after retry-after (the lease of this one). */
	private List<Parcel> claimDue() {
		Instant now = clock.instant();
		return jdbc.sql("""
				update shipping.carrier_parcels set next_attempt_at = :next, attempts = attempts + 1
				where shipment_id in (
				    select shipment_id from shipping.carrier_parcels
				    where reported_at is null and next_attempt_at <= :now
				    order by next_attempt_at limit :batch for update skip locked)
				returning shipment_id, order_id, deliver_at""")
			.param("next", Timestamp.from(now.plus(properties.retryAfter())))
			.param("now", Timestamp.from(now))
			.param("batch", BATCH)
			.query((rs, n) -> new Parcel(rs.getObject("shipment_id", UUID.class), rs.getString("order_id"),
					rs.getTimestamp("deliver_at").toInstant()))
			.list();
	}

	/** One report, no transaction held; true once we answered it. */
	private boolean report(Parcel parcel) {
		if (ThreadLocalRandom.current().nextDouble() < properties.lostReportRate()) {
			log.debug("Carrier: the report of shipment {} was lost (fault)", parcel.shipmentId());
			return false;
		}
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("id", "evt_" + UUID.randomUUID());
		event.put("type", "shipment.delivered");
		event.put("shipmentId", parcel.shipmentId().toString());
		event.put("orderId", parcel.orderId());
		event.put("deliveredAt", parcel.deliverAt().toString());
		String body = json.writeValueAsString(event);
		int sends = ThreadLocalRandom.current().nextDouble() < properties.duplicateReportRate() ? 2 : 1;
		Integer status = null;
		for (int i = 0; i < sends; i++) {
			status = send(body);
		}
		if (status == null || status >= 500 || status == 429 || status == 401) {
			// No answer, our error, busy, or a signature refused (a secret being rotated): again later.
			return false;
		}
		if (status >= 400) {
			log.warn("Carrier: the report of shipment {} was refused ({}); not sent again", parcel.shipmentId(), status);
		}
		transactions.executeWithoutResult(s -> jdbc.sql(
				"update shipping.carrier_parcels set reported_at = :now where shipment_id = :shipment")
			.param("now", Timestamp.from(clock.instant()))
			.param("shipment", parcel.shipmentId())
			.update());
		return status < 400;
	}

	private Integer send(String body) {
		long seconds = clock.instant().getEpochSecond();
		HttpRequest request = HttpRequest.newBuilder(URI.create(url()))
			.timeout(Duration.ofSeconds(5))
			.header("Content-Type", "application/json")
			.header(SIGNATURE_HEADER, WebhookSignature.sign(properties.webhookSecret(), seconds, body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (java.io.IOException ex) {
			log.debug("Carrier: report not delivered ({})", ex.toString());
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private String url() {
		if (!properties.webhookUrl().isBlank()) {
			return properties.webhookUrl();
		}
		return "http://localhost:" + environment.getProperty("local.server.port", "8080") + "/v1/webhooks/carrier";
	}
}
