package io.orderly.payment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.payment.internal.PaymentWatch;
import io.orderly.platform.MutableClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The payment commands while the PSP simulator fails the way providers do: responses lost
 * after the work is done, answers slower than our timeout, half the calls failing, the
 * provider gone. Whatever happens, the provider's own records show at most one authorization
 * and one capture per order, nothing stays held for an order answered as declined, and the
 * ledger agrees with the provider.
 */
class PaymentFaultsIntegrationTest extends PaymentTestSupport {

	@Autowired
	PaymentWatch watch;

	@Autowired
	MutableClock clock;

	@Autowired
	MeterRegistry meters;

	@Autowired
	ConsumerCrashes crashes;

	@Test
	void authorizesOnceWhenEveryResponseIsLostAndVoidsItOnceTheProviderAnswers() {
		String orderId = newOrderId();
		psp.faults("""
				{"lostResponseRate": 1}""");

		send(orderId, authorizePayment(orderId, 2500, "tok_ok"));

		// Every attempt and every lookup lost its answer: the saga must not be kept waiting.
		assertThat(awaitReply(orderId, 1)).isEqualTo(new PaymentDeclined(orderId, PaymentDeclined.UNAVAILABLE));
		List<JsonNode> atPsp = psp.authorizations(orderId);
		assertThat(atPsp).as("one authorization, however many attempts").hasSize(1);
		assertThat(atPsp.getFirst().get("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZATION_UNKNOWN);

		psp.resetFaults();
		watch.checkDue();

		assertThat(psp.authorizations(orderId)).singleElement()
			.satisfies(a -> assertThat(a.get("status").asString()).isEqualTo("VOIDED"));
		PaymentView payment = payments.find(orderId).orElseThrow();
		assertThat(payment.status()).isEqualTo(PaymentStatus.VOIDED);
		assertThat(payment.declineReason()).isEqualTo(PaymentDeclined.UNAVAILABLE);
		assertThat(payment.watchUntil()).isNull();
		assertThat(ledgerKinds(orderId)).containsExactly("AUTHORIZE", "VOID");
		assertBooksMatchProvider(orderId);
	}

	@Test
	void authorizesAndCapturesOnceWhenTheProcessDiesAroundTheProviderCall() {
		String orderId = newOrderId();
		crashes.crashPaymentConsumer(1);
		crashes.crashAfterProviderAnswered(1);

		send(orderId, authorizePayment(orderId, 3100, "tok_ok"));
		await().atMost(DEADLINE).until(() -> crashes.remaining() == 0);
		assertThat(replies.of(orderId)).as("nothing recorded, nothing answered").isEmpty();
		// The call's process is taken for dead once its lease has passed: the call is made again.
		clock.advance(Duration.ofHours(2));
		PaymentAuthorized authorized = (PaymentAuthorized) awaitReply(orderId, 1);

		crashes.crashPaymentConsumer(1);
		crashes.crashAfterProviderAnswered(1);
		send(orderId, new CapturePayment(orderId));
		await().atMost(DEADLINE).until(() -> crashes.remaining() == 0);
		clock.advance(Duration.ofHours(2));

		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentCaptured(orderId, authorized.paymentId(), 3100, "EUR"));
		assertThat(replies.of(orderId)).hasSize(2);
		assertThat(psp.authorizations(orderId)).hasSize(1);
		assertThat(psp.operations(orderId, "AUTHORIZE")).isEqualTo(1);
		assertThat(psp.operations(orderId, "CAPTURE")).isEqualTo(1);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void aLateAnswerOfAnOvertakenAttemptDecidesNothing() {
		String orderId = newOrderId();
		psp.faults("""
				{"down": true}""");
		CountDownLatch first = crashes.holdNextAnswer();
		send(orderId, authorizePayment(orderId, 4700, "tok_ok"));
		// The first attempt had no answer (the provider is down), and is slow to record that.
		await().atMost(DEADLINE).until(() -> crashes.held() == 1);

		psp.resetFaults();
		CountDownLatch second = crashes.holdNextAnswer();
		// Its lease passes: a second attempt takes the call, and the provider authorizes it.
		clock.advance(Duration.ofHours(2));
		await().atMost(DEADLINE).until(() -> crashes.held() == 2);

		double attempts = providerCallAttempts();
		first.countDown();
		await().atMost(DEADLINE).until(() -> providerCallAttempts() > attempts);
		assertThat(replies.of(orderId)).as("the overtaken attempt's lack of an answer is not the call's answer").isEmpty();

		second.countDown();
		PaymentAuthorized authorized = (PaymentAuthorized) awaitReply(orderId, 1);
		assertThat(authorized.amountMinor()).isEqualTo(4700);
		assertThat(replies.of(orderId)).hasSize(1);
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZED);
		assertThat(psp.authorizations(orderId)).hasSize(1);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void aCallThatKeepsFailingOnOurSideIsGivenUpAndWatchedNotMadeForever() {
		String orderId = newOrderId();
		double failedBefore = providerCallAttempts("failed");
		crashes.failAfterProviderAnswered(Integer.MAX_VALUE);
		try {
			send(orderId, authorizePayment(orderId, 2900, "tok_ok"));
			// Each failure is made again after a backoff: time moves on until the call is given up.
			await().atMost(DEADLINE).until(() -> {
				clock.advance(Duration.ofMinutes(1));
				return !replies.of(orderId).isEmpty();
			});
		}
		finally {
			crashes.failAfterProviderAnswered(0);
		}
		assertThat(replies.of(orderId)).containsExactly(new PaymentDeclined(orderId, PaymentDeclined.UNAVAILABLE));
		assertThat(providerCallAttempts("failed") - failedBefore).as("failed attempts, each counted").isEqualTo(4);
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZATION_UNKNOWN);
		assertThat(psp.operations(orderId, "AUTHORIZE")).as("one authorization, every attempt with its key").isEqualTo(1);

		// The watch takes over: the authorization the provider made is voided.
		watch.checkDue();
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.VOIDED);
		assertThat(psp.authorizations(orderId)).singleElement()
			.satisfies(a -> assertThat(a.get("status").asString()).isEqualTo("VOIDED"));
		assertBooksMatchProvider(orderId);
	}

	@Test
	void voidsByReferenceWhenCancelledAfterLostResponses() {
		String orderId = newOrderId();
		psp.faults("""
				{"lostResponseRate": 1}""");
		send(orderId, authorizePayment(orderId, 2500, "tok_ok"));
		awaitReply(orderId, 1);

		send(orderId, new CancelPayment(orderId));

		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentCancellationFailed(orderId, "payment_unavailable"));

		psp.resetFaults();
		send(orderId, new CancelPayment(orderId));

		Object voided = awaitReply(orderId, 3);
		String paymentId = payments.find(orderId).orElseThrow().paymentId();
		assertThat(voided).isEqualTo(new PaymentVoided(orderId, paymentId));
		assertThat(psp.authorizations(orderId)).singleElement()
			.satisfies(a -> assertThat(a.get("status").asString()).isEqualTo("VOIDED"));
		assertThat(psp.operations(orderId, "VOID")).isEqualTo(1);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void voidsAnAuthorizationThatCompletedAfterWeGaveUpOnIt() {
		String orderId = newOrderId();
		// Slower than our read timeout: every attempt and lookup gives up while the provider still works.
		psp.faults("""
				{"latencyMs": 600000}""");

		send(orderId, authorizePayment(orderId, 1800, "tok_ok"));

		assertThat(awaitReply(orderId, 1)).isEqualTo(new PaymentDeclined(orderId, PaymentDeclined.UNAVAILABLE));
		assertThat(psp.authorizations(orderId)).isEmpty();

		// The waiting requests go on: the authorization completes now, after our answer.
		psp.resetFaults();
		await().atMost(DEADLINE).until(() -> psp.authorizations(orderId).size() == 1);
		assertThat(psp.authorizations(orderId).getFirst().get("status").asString()).isEqualTo("AUTHORIZED");

		send(orderId, new CancelPayment(orderId));

		String paymentId = payments.find(orderId).orElseThrow().paymentId();
		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentVoided(orderId, paymentId));
		assertThat(psp.authorizations(orderId)).singleElement()
			.satisfies(a -> assertThat(a.get("status").asString()).isEqualTo("VOIDED"));
		assertBooksMatchProvider(orderId);
	}

	@Test
	void declinesAsUnavailableAndChargesNothingWhileTheProviderIsDown() {
		String orderId = newOrderId();
		psp.faults("""
				{"down": true}""");

		send(orderId, authorizePayment(orderId, 990, "tok_ok"));

		assertThat(awaitReply(orderId, 1)).isEqualTo(new PaymentDeclined(orderId, PaymentDeclined.UNAVAILABLE));
		assertThat(psp.authorizations(orderId)).isEmpty();

		psp.resetFaults();
		watch.checkDue();
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZATION_UNKNOWN);

		// Nothing turned up while it was watched (10 minutes here): the authorization never happened.
		clock.advance(Duration.ofHours(2));
		watch.checkDue();

		PaymentView payment = payments.find(orderId).orElseThrow();
		assertThat(payment.status()).isEqualTo(PaymentStatus.DECLINED);
		assertThat(payment.watchUntil()).isNull();
		assertThat(psp.authorizations(orderId)).isEmpty();
		assertThat(ledger.entriesOf(orderId)).isEmpty();
	}

	@Test
	void capturesOnceTheProviderIsBackWithoutGuessingMeanwhile() {
		String orderId = newOrderId();
		PaymentAuthorized authorized = authorized(orderId, 6000);
		double retriesBefore = captureRetries();
		psp.faults("""
				{"down": true}""");

		send(orderId, new CapturePayment(orderId));

		// Three attempts per call, two retries each: a third retry means the first call gave up
		// without an answer and the capture is asked again.
		await().atMost(DEADLINE).until(() -> captureRetries() >= retriesBefore + 3);
		assertThat(replies.of(orderId)).as("no guessed answer").hasSize(1);
		psp.resetFaults();

		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentCaptured(orderId, authorized.paymentId(), 6000, "EUR"));
		assertThat(psp.operations(orderId, "CAPTURE")).isEqualTo(1);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void neverChargesTwiceWhenHalfTheCallsFail() {
		List<String> orders = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			orders.add(newOrderId());
		}
		psp.faults("""
				{"errorRate": 0.5, "lostResponseRate": 0.2}""");

		orders.forEach(orderId -> send(orderId, authorizePayment(orderId, 1000 + orders.indexOf(orderId), "tok_ok")));
		orders.forEach(orderId -> awaitReply(orderId, 1));
		List<String> authorized = orders.stream()
			.filter(orderId -> replies.of(orderId).getFirst() instanceof PaymentAuthorized)
			.toList();
		authorized.forEach(orderId -> send(orderId, new CapturePayment(orderId)));
		authorized.forEach(orderId -> send(orderId, new CapturePayment(orderId)));
		authorized.forEach(orderId -> awaitReply(orderId, 3));
		psp.resetFaults();
		watch.checkDue();

		for (String orderId : orders) {
			long amount = 1000 + orders.indexOf(orderId);
			List<JsonNode> atPsp = psp.authorizations(orderId);
			assertThat(atPsp).as("authorizations of %s", orderId).hasSizeLessThanOrEqualTo(1);
			assertThat(psp.operations(orderId, "CAPTURE")).as("captures of %s", orderId).isLessThanOrEqualTo(1);
			Object first = replies.of(orderId).getFirst();
			if (first instanceof PaymentAuthorized reply) {
				assertThat(reply.amountMinor()).isEqualTo(amount);
				PaymentCaptured captured = new PaymentCaptured(orderId, reply.paymentId(), amount, "EUR");
				assertThat(replies.of(orderId)).containsExactly(reply, captured, captured);
				assertThat(atPsp.getFirst().get("capturedMinor").asLong()).isEqualTo(amount);
			}
			else {
				assertThat(first).isEqualTo(new PaymentDeclined(orderId, PaymentDeclined.UNAVAILABLE));
				assertThat(atPsp).as("nothing held for %s, answered declined", orderId)
					.allSatisfy(a -> assertThat(a.get("status").asString()).isEqualTo("VOIDED"));
			}
			assertBooksMatchProvider(orderId);
		}
	}

	private double captureRetries() {
		Counter counter = meters.find("orderly.payment.psp.retries").tag("operation", "capture").counter();
		return counter == null ? 0 : counter.count();
	}

	/** Attempts of provider calls made so far, whatever became of them. */
	private double providerCallAttempts() {
		return meters.find("orderly.payment.provider.calls").counters().stream().mapToDouble(Counter::count).sum();
	}

	/** Attempts of provider calls so far that ended as {@code outcome}. */
	private double providerCallAttempts(String outcome) {
		return meters.find("orderly.payment.provider.calls").tag("outcome", outcome).counters().stream()
			.mapToDouble(Counter::count)
			.sum();
	}
}
