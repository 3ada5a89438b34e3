package io.orderly.payment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.payment.internal.PaymentWatch;
import io.orderly.platform.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The provider goes away: orders wait in a visible pending state (no answer to the saga yet),
 * the circuit breaker opens so nobody keeps hammering a dead provider, and when it comes back
 * every waiting authorization is asked again with its own key and answered once, no order
 * authorized twice. Past the longest wait the answer is {@code payment_unavailable}.
 */
@TestPropertySource(properties = { "orderly.payment.pending.max-wait=15m", "orderly.payment.pending.interval=100ms",
		"orderly.payment.pending.backoff-base=100ms", "orderly.payment.pending.backoff-max=400ms",
		"orderly.payment.psp.breaker.minimum-calls=4", "orderly.payment.psp.breaker.open-for=1s",
		"orderly.payment.psp.max-attempts=2",
		// Shorter than the longest wait, so a test can outlive an attempt's process and still wait.
		"orderly.payment.pending.lease=5m" })
class PaymentOutageIntegrationTest extends PaymentTestSupport {

	@Autowired
	MutableClock clock;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PaymentWatch watch;

	@Autowired
	ConsumerCrashes crashes;

	/**
	 * A refund the provider does not answer for longer than the retry limit is not asked again
	 * (its key may be forgotten by then, and a refund done with its answer lost would be done
	 * twice): it waits for an operator, marked UNANSWERED, and nothing more reaches the provider.
	 */
	@Test
	void aRefundWithoutAnAnswerPastTheRetryLimitIsLeftToAnOperatorNotAskedAgain() {
		String orderId = newOrderId();
		authorized(orderId, 1000);
		send(orderId, new CapturePayment(orderId));
		awaitReply(orderId, 2);
		psp.faults("""
				{"down": true}""");

		send(orderId, new RefundPayment(orderId, orderId + "-r", 300, "goodwill"));
		await().atMost(DEADLINE).until(() -> refundStatus(orderId).equals("PENDING") && refundAttempts(orderId) >= 2);
		clock.advance(Duration.ofHours(21));

		await().atMost(DEADLINE).until(() -> refundStatus(orderId).equals("UNANSWERED"));
		psp.resetFaults();
		assertThat(psp.operations(orderId, "REFUND")).isZero();
		assertThat(replies.of(orderId)).hasSize(2);
		assertThat(jdbc.sql("select next_attempt_at is null from payment.refunds where order_id = :order")
			.param("order", orderId).query(Boolean.class).single()).as("never due again").isTrue();
	}

	private String refundStatus(String orderId) {
		return jdbc.sql("select status from payment.refunds where order_id = :order").param("order", orderId)
			.query(String.class).optional().orElse("");
	}

	private int refundAttempts(String orderId) {
		return jdbc.sql("select attempts from payment.refunds where order_id = :order").param("order", orderId)
			.query(Integer.class).optional().orElse(0);
	}

	/** The order's provider calls not answered yet (in flight, or waiting for the provider). */
	private long waiting(String orderId) {
		return jdbc.sql("select count(*) from payment.provider_calls where order_id = :order").param("order", orderId)
			.query(Long.class).single();
	}

	/** Each test starts with the provider healthy and the breaker closed, whatever the one before left. */
	@BeforeEach
	void breakerClosed() {
		await().atMost(DEADLINE).until(this::breakerClosedOrHalfOpen);
	}

	private double breakerOpen() {
		return meters.get("resilience4j.circuitbreaker.state").tag("name", "psp").tag("state", "open").gauge().value();
	}

	@Test
	void ordersWaitThroughAnOutageAndAreAuthorizedOnceWhenTheProviderIsBack() {
		psp.faults("""
				{"down": true}""");
		List<String> orders = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			String orderId = newOrderId();
			orders.add(orderId);
			send(orderId, authorizePayment(orderId, 1000 + i, "tok_ok"));
		}

		for (String orderId : orders) {
			assertThat(awaitReply(orderId, 1)).isInstanceOf(PaymentPending.class);
			assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZATION_PENDING);
		}
		await().atMost(DEADLINE).until(() -> breakerOpen() == 1.0);
		assertThat(replies.of(orders.getFirst())).hasSize(1);

		psp.resetFaults();

		for (String orderId : orders) {
			assertThat(awaitReply(orderId, 2)).isInstanceOf(PaymentAuthorized.class);
			assertThat(psp.authorizations(orderId)).as("one authorization for %s", orderId).hasSize(1);
			assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZED);
			assertBooksMatchProvider(orderId);
			assertThat(waiting(orderId)).isZero();
		}
		await().atMost(DEADLINE).until(() -> breakerOpen() == 0.0);
	}

	@Test
	void anAuthorizationTheProviderDidButCouldNotTellIsAnsweredNotDoneAgain() {
		psp.faults("""
				{"lostResponseRate": 1}""");
		String orderId = newOrderId();
		send(orderId, authorizePayment(orderId, 4200, "tok_ok"));
		assertThat(awaitReply(orderId, 1)).isInstanceOf(PaymentPending.class);

		psp.resetFaults();

		assertThat(awaitReply(orderId, 2)).isInstanceOf(PaymentAuthorized.class);
		assertThat(psp.authorizations(orderId)).hasSize(1);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void theSagaIsToldTheAuthorizationWaitsEvenWhenItsFirstAttemptDied() {
		psp.faults("""
				{"down": true}""");
		crashes.crashAfterProviderAnswered(1);
		String orderId = newOrderId();
		send(orderId, authorizePayment(orderId, 3900, "tok_ok"));
		await().atMost(DEADLINE).until(() -> crashes.remaining() == 0);

		// The attempt's process is taken for dead once its lease (5 minutes here) has passed.
		clock.advance(Duration.ofMinutes(6));
		assertThat(awaitReply(orderId, 1)).isInstanceOf(PaymentPending.class);

		psp.resetFaults();
		assertThat(awaitReply(orderId, 2)).isInstanceOf(PaymentAuthorized.class);
		assertThat(replies.of(orderId)).as("told once that it waits, then answered").hasSize(2);
		assertThat(psp.authorizations(orderId)).hasSize(1);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void givesUpAfterTheLongestWaitWithPaymentUnavailableAndHoldsNothing() {
		psp.faults("""
				{"down": true}""");
		String orderId = newOrderId();
		send(orderId, authorizePayment(orderId, 3100, "tok_ok"));
		assertThat(awaitReply(orderId, 1)).isInstanceOf(PaymentPending.class);

		clock.advance(Duration.ofMinutes(16));

		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentDeclined(orderId, PaymentDeclined.UNAVAILABLE));
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZATION_UNKNOWN);
		psp.resetFaults();
		clock.advance(Duration.ofMinutes(1));
		watch.checkDue();
		assertThat(psp.authorizations(orderId)).allSatisfy(a -> assertThat(a.get("status").asString()).isNotEqualTo("AUTHORIZED"));
		assertThat(waiting(orderId)).isZero();
	}

	@Test
	void aCancelWhileWaitingStopsTheAttemptsAndNothingIsAuthorizedAfterIt() {
		psp.faults("""
				{"down": true}""");
		String orderId = newOrderId();
		send(orderId, authorizePayment(orderId, 2700, "tok_ok"));
		assertThat(awaitReply(orderId, 1)).isInstanceOf(PaymentPending.class);

		send(orderId, new CancelPayment(orderId));
		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentVoided(orderId, null));
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.CANCELLED);
		assertThat(waiting(orderId)).isZero();

		psp.resetFaults();
		await().atMost(DEADLINE).until(() -> breakerClosedOrHalfOpen());
		// Another order goes through, so the retrier has had its rounds; this one stays unauthorized.
		String other = newOrderId();
		assertThat(authorized(other, 100).orderId()).isEqualTo(other);
		assertThat(psp.authorizations(orderId)).isEmpty();
		assertThat(replies.of(orderId)).hasSize(2);
	}

	@Test
	void aCaptureDuringAnOutageWaitsAndIsDoneOnceWhenTheProviderIsBack() {
		String orderId = newOrderId();
		authorized(orderId, 5100);
		psp.faults("""
				{"down": true}""");

		send(orderId, new CapturePayment(orderId));
		await().atMost(DEADLINE).until(() -> waiting(orderId) > 0);
		assertThat(replies.of(orderId)).hasSize(1);
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZED);

		psp.resetFaults();

		assertThat(awaitReply(orderId, 2)).isInstanceOf(PaymentCaptured.class);
		assertThat(psp.authorizations(orderId)).singleElement()
			.satisfies(a -> assertThat(a.get("capturedMinor").asLong()).isEqualTo(5100));
		assertBooksMatchProvider(orderId);
	}

	@Test
	void aCancelWhileACaptureWaitsMeansNoCapture() {
		String orderId = newOrderId();
		authorized(orderId, 800);
		psp.faults("""
				{"down": true}""");
		send(orderId, new CapturePayment(orderId));
		await().atMost(DEADLINE).until(() -> waiting(orderId) > 0);

		send(orderId, new CancelPayment(orderId));
		// The provider is down: the void fails for now, and the saga would ask again.
		assertThat(awaitReply(orderId, 2)).isInstanceOf(PaymentCancellationFailed.class);
		assertThat(waiting(orderId)).isZero();
		psp.resetFaults();
		// The saga asks again later: by then the breaker lets calls through.
		await().atMost(DEADLINE).until(this::breakerClosedOrHalfOpen);
		send(orderId, new CancelPayment(orderId));
		assertThat(awaitReply(orderId, 3)).isInstanceOf(PaymentVoided.class);
		assertThat(psp.authorizations(orderId)).singleElement()
			.satisfies(a -> assertThat(a.get("capturedMinor").asLong()).isZero());
	}

	private boolean breakerClosedOrHalfOpen() {
		return meters.get("resilience4j.circuitbreaker.state").tag("name", "psp").tag("state", "open").gauge().value() == 0.0;
	}
}
