package io.orderly.payment.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.webhooks.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Webhooks from the provider. Each is verified (HMAC-SHA256 over timestamp and body, with
 * {@code orderly.payment.webhooks.secret}, within {@code tolerance} of now; else 401), taken
 * once per event id (a redelivery is acknowledged and changes nothing), and then treated as a
 * hint, not as the truth: the order's payment is reconciled with what the provider holds now
 * ({@link PaymentReconciliation#reconcileOne}). So events that arrive out of order, twice, or
 * late cannot move a payment backwards. An event for a reference we have no payment for is
 * kept as unmatched and acknowledged. When the provider cannot be asked, the answer is 503
 * and nothing is kept, so the provider delivers the event again.
 */
@Component
@ConditionalOnModule("payment")
public class PspWebhooks {

	private static final Logger log = LoggerFactory.getLogger(PspWebhooks.class);

	private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

	/** What became of a delivery. */
	public enum Outcome {
		APPLIED, UNMATCHED, DUPLICATE
	}

	private final JdbcClient jdbc;

	private final Payments payments;

	private final PaymentReconciliation reconciliation;

	private final JsonMapper json;

	private final Clock clock;

	private final MeterRegistry meters;

	private final String secret;

	private final Duration tolerance;

	PspWebhooks(JdbcClient jdbc, Payments payments, PaymentReconciliation reconciliation, JsonMapper json, Clock clock, MeterRegistry meters,
			@Value("${orderly.payment.webhooks.secret}") String secret,
			@Value("${orderly.payment.webhooks.tolerance:5m}") Duration tolerance) {
		this.jdbc = jdbc;
		this.payments = payments;
		this.reconciliation = reconciliation;
		this.json = json;
		this.clock = clock;
		this.meters = meters;
		this.secret = secret;
		this.tolerance = tolerance;
	}

	public Outcome receive(String signature, String body) {
		if (!WebhookSignature.verify(secret, signature, body, clock.instant(), tolerance)) {
			count("invalid_signature");
			throw new ProblemException(HttpStatus.UNAUTHORIZED, "invalid-signature", "Invalid signature",
					"The " + WebhookSignature.HEADER + " header is missing, does not match the body, or is too old.");
		}
		JsonNode event;
		try {
			event = json.readTree(body);
		}
		catch (JacksonException ex) {
			throw malformed("the body is not JSON");
		}
		String id = text(event, "id");
		String type = text(event, "type");
		JsonNode data = event.path("data");
		String reference = text(data, "reference");
		if (id == null || !EVENT_ID.matcher(id).matches() || type == null || reference == null) {
			throw malformed("an event needs an id, a type and data.reference");
		}
		ProviderAuthorization snapshot = snapshot(data);
		try {
			Outcome outcome = apply(id, type, reference, snapshot);
			count(outcome.name().toLowerCase());
			return outcome;
		}
		catch (ProviderUnavailable | ProviderRefused ex) {
			count("provider_unavailable");
			log.info("Webhook {} for {}: the provider could not be asked ({}); it will deliver it again", id, reference,
					ex.getMessage());
			throw ProblemException.unavailable("provider-unavailable", "Provider unavailable",
					"The event could not be checked with the provider now; deliver it again later.", Duration.ofSeconds(5));
		}
	}

	/** The authorization as the event describes it, if it describes one completely. */
	private static ProviderAuthorization snapshot(JsonNode data) {
		try {
			return new ProviderAuthorization(text(data, "id"), text(data, "reference"), text(data, "status"),
					text(data, "declineCode"), data.path("amountMinor").asLong(-1), text(data, "currency"),
					data.path("capturedMinor").asLong(-1), data.path("refundedMinor").asLong(-1));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Compares, asks the provider if needed (no transaction is open meanwhile), and only then keeps
	 * the event: a delivery the provider could not be asked about is not kept, so its redelivery
	 * is applied. Two deliveries of one event at once may both reconcile, which is harmless.
	 */
	private Outcome apply(String id, String type, String reference, ProviderAuthorization snapshot) {
		if (known(id)) {
			return Outcome.DUPLICATE;
		}
		Optional<Payment> payment = payments.find(reference);
		Outcome outcome = Outcome.APPLIED;
		if (payment.isEmpty()) {
			outcome = Outcome.UNMATCHED;
			log.info("Webhook {} ({}) for {}: no payment of ours; left to reconciliation", id, type, reference);
		}
		else if (!agrees(payment.get(), snapshot)) {
			// Our record and the event differ (a change we missed, or an old event): ask the provider.
			// A payment with a call under way is left to that call.
			reconciliation.reconcileOne(reference);
		}
		int inserted = jdbc.sql("""
				insert into payment.webhook_events (event_id, type, reference, authorization_id, outcome, received_at)
				values (:id, :type, :reference, :authorization, :outcome, :now) on conflict (event_id) do nothing""")
			.param("id", id)
			.param("type", type)
			.param("reference", reference)
			.param("authorization", snapshot == null ? null : snapshot.id())
			.param("outcome", outcome.name())
			.param("now", Timestamp.from(clock.instant()))
			.update();
		return inserted == 0 ? Outcome.DUPLICATE : outcome;
	}

	private boolean known(String id) {
		return jdbc.sql("select exists (select 1 from payment.webhook_events where event_id = :id)")
			.param("id", id)
			.query(Boolean.class)
			.single();
	}

	/** Whether our record already says what the event says about our authorization. */
	private static boolean agrees(Payment payment, ProviderAuthorization snapshot) {
		if (snapshot == null || !snapshot.id().equals(payment.pspAuthorizationId())) {
			return false;
		}
		try {
			return snapshot.paymentStatus() == payment.status() && snapshot.capturedMinor() == payment.capturedMinor()
					&& snapshot.refundedMinor() == payment.refundedMinor();
		}
		catch (IllegalStateException unknownStatus) {
			return false;
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isString() ? value.asString() : null;
	}

	private static ProblemException malformed(String why) {
		return new ProblemException(HttpStatus.BAD_REQUEST, "malformed-webhook", "Malformed webhook", "Not a provider event: " + why + ".");
	}

	private void count(String outcome) {
		meters.counter("orderly.payment.webhooks", "outcome", outcome).increment();
	}
}
