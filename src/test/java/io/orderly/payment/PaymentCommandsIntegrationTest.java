package io.orderly.payment;

import java.util.List;

import io.orderly.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The payment commands against the PSP simulator over real HTTP, without faults. */
class PaymentCommandsIntegrationTest extends PaymentTestSupport {

	@Test
	void authorizesTokOkAndBooksTheHold() {
		String orderId = newOrderId();

		PaymentAuthorized reply = authorized(orderId, 2598);

		assertThat(reply.orderId()).isEqualTo(orderId);
		assertThat(reply.paymentId()).isNotBlank();
		assertThat(reply.amountMinor()).isEqualTo(2598);
		assertThat(reply.currency()).isEqualTo("EUR");
		List<JsonNode> atPsp = psp.authorizations(orderId);
		assertThat(atPsp).hasSize(1);
		assertThat(atPsp.getFirst().get("status").asString()).isEqualTo("AUTHORIZED");
		assertThat(atPsp.getFirst().get("amountMinor").asLong()).isEqualTo(2598);
		assertThat(atPsp.getFirst().get("operations").get(0).get("idempotencyKey").asString())
			.isEqualTo("authorize:" + orderId);
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.AUTHORIZED);
		assertThat(ledger.balancesOf(orderId)).containsEntry("customer_funds_held", 2598L);
		assertThat(ledgerKinds(orderId)).containsExactly("AUTHORIZE");
		assertBooksMatchProvider(orderId);
	}

	@Test
	void declinesTokDeclinedAsPaymentDeclined() {
		String orderId = newOrderId();

		send(orderId, authorizePayment(orderId, 1000, "tok_declined"));

		assertThat(awaitReply(orderId, 1)).isEqualTo(new PaymentDeclined(orderId, PaymentDeclined.DECLINED));
		assertThat(psp.authorizations(orderId)).singleElement()
			.satisfies(a -> assertThat(a.get("status").asString()).isEqualTo("DECLINED"));
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.DECLINED);
		assertThat(ledger.entriesOf(orderId)).isEmpty();
		assertBooksMatchProvider(orderId);
	}

	@Test
	void declinesTokInsufficientFundsAsInsufficientFunds() {
		String orderId = newOrderId();

		send(orderId, authorizePayment(orderId, 1000, "tok_insufficient_funds"));

		assertThat(awaitReply(orderId, 1)).isEqualTo(new PaymentDeclined(orderId, PaymentDeclined.INSUFFICIENT_FUNDS));
		assertThat(ledger.entriesOf(orderId)).isEmpty();
		assertBooksMatchProvider(orderId);
	}

	@Test
	void answersARepeatedAuthorizePaymentAsTheFirstWithoutAuthorizingAgain() {
		String orderId = newOrderId();
		PaymentAuthorized first = authorized(orderId, 700);

		send(orderId, authorizePayment(orderId, 700, "tok_ok"));

		assertThat(awaitReply(orderId, 2)).isEqualTo(first);
		assertThat(psp.authorizations(orderId)).hasSize(1);
		assertThat(psp.operations(orderId, "AUTHORIZE")).isEqualTo(1);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void capturesOnceWhenCapturePaymentIsDeliveredTwice() {
		String orderId = newOrderId();
		PaymentAuthorized authorized = authorized(orderId, 4200);

		send(orderId, new CapturePayment(orderId));
		send(orderId, new CapturePayment(orderId));

		PaymentCaptured captured = new PaymentCaptured(orderId, authorized.paymentId(), 4200, "EUR");
		assertThat(awaitReply(orderId, 2)).isEqualTo(captured);
		assertThat(awaitReply(orderId, 3)).isEqualTo(captured);
		JsonNode atPsp = psp.authorizations(orderId).getFirst();
		assertThat(atPsp.get("status").asString()).isEqualTo("CAPTURED");
		assertThat(atPsp.get("capturedMinor").asLong()).isEqualTo(4200);
		assertThat(psp.operations(orderId, "CAPTURE")).isEqualTo(1);
		assertThat(ledgerKinds(orderId)).containsExactly("AUTHORIZE", "CAPTURE");
		assertThat(ledger.balancesOf(orderId)).containsEntry("customer_funds_held", 0L)
			.containsEntry("psp_receivable", 4200L)
			.containsEntry("revenue", -4200L);
		assertBooksMatchProvider(orderId);
	}

	/**
	 * Refunds by name, more than the capture in all, arriving together and one of them twice: the
	 * payment decides them one after the other under its lock, so what is refunded never passes
	 * what was captured, and each is done once, with its own key.
	 */
	@Test
	void refundsByNameOnceEachAndNeverMoreThanWasCapturedInAll() {
		String orderId = newOrderId();
		PaymentAuthorized authorized = authorized(orderId, 1000);
		send(orderId, new CapturePayment(orderId));
		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentCaptured(orderId, authorized.paymentId(), 1000, "EUR"));

		for (int i = 1; i <= 4; i++) {
			send(orderId, new RefundPayment(orderId, orderId + "-r" + i, 300, "goodwill"));
		}
		send(orderId, new RefundPayment(orderId, orderId + "-r1", 300, "goodwill"));

		List<Object> answers = List.of(awaitReply(orderId, 3), awaitReply(orderId, 4), awaitReply(orderId, 5),
				awaitReply(orderId, 6), awaitReply(orderId, 7));
		assertThat(answers).containsOnlyOnce(new RefundRefused(orderId, orderId + "-r4", RefundRefused.EXCEEDS_CAPTURED));
		assertThat(answers).filteredOn(RefundIssued.class::isInstance).hasSize(4)
			.containsOnly(new RefundIssued(orderId, orderId + "-r1", 300, "EUR"),
					new RefundIssued(orderId, orderId + "-r2", 300, "EUR"),
					new RefundIssued(orderId, orderId + "-r3", 300, "EUR"));
		JsonNode atPsp = psp.authorizations(orderId).getFirst();
		assertThat(atPsp.get("refundedMinor").asLong()).isEqualTo(900);
		assertThat(psp.operations(orderId, "REFUND")).isEqualTo(3);
		assertThat(payments.find(orderId).orElseThrow().refundedMinor()).isEqualTo(900);
		assertThat(ledger.balancesOf(orderId)).containsEntry("psp_receivable", 100L).containsEntry("revenue", -100L);
		assertBooksMatchProvider(orderId);
	}

	/**
	 * A cancel (the saga's compensation) while a refund by name waits for the provider: refused
	 * for now, so the two never race at the provider; asked again once the refund is done, it
	 * refunds the rest, and the customer got back exactly what was captured.
	 */
	@Test
	void aCancelWaitsWhileARefundByNameIsMadeThenRefundsTheRest() {
		String orderId = newOrderId();
		PaymentAuthorized authorized = authorized(orderId, 1000);
		send(orderId, new CapturePayment(orderId));
		awaitReply(orderId, 2);
		psp.faults("""
				{"down": true}""");

		send(orderId, new RefundPayment(orderId, orderId + "-r", 300, "goodwill"));
		send(orderId, new CancelPayment(orderId));

		assertThat(awaitReply(orderId, 3)).isEqualTo(new PaymentCancellationFailed(orderId, "refund_in_progress"));
		psp.resetFaults();
		assertThat(awaitReply(orderId, 4)).isEqualTo(new RefundIssued(orderId, orderId + "-r", 300, "EUR"));
		send(orderId, new CancelPayment(orderId));
		assertThat(awaitReply(orderId, 5)).isEqualTo(new PaymentRefunded(orderId, authorized.paymentId(), 1000, "EUR"));
		assertThat(psp.authorizations(orderId).getFirst().get("refundedMinor").asLong()).isEqualTo(1000);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void refusesToRefundWhatWasNotCaptured() {
		String orderId = newOrderId();
		authorized(orderId, 500);

		send(orderId, new RefundPayment(orderId, orderId + "-r", 100, "goodwill"));

		assertThat(awaitReply(orderId, 2)).isEqualTo(new RefundRefused(orderId, orderId + "-r", RefundRefused.NOT_CAPTURED));
		assertThat(psp.operations(orderId, "REFUND")).isZero();
	}

	@Test
	void refusesToCaptureWithoutAnAuthorization() {
		String never = newOrderId();
		String declined = newOrderId();
		send(declined, authorizePayment(declined, 500, "tok_declined"));
		awaitReply(declined, 1);

		send(never, new CapturePayment(never));
		send(declined, new CapturePayment(declined));

		assertThat(awaitReply(never, 1)).isEqualTo(new PaymentCaptureFailed(never, "no_authorization"));
		assertThat(awaitReply(declined, 2)).isEqualTo(new PaymentCaptureFailed(declined, "no_authorization"));
		assertThat(psp.authorizations(never)).isEmpty();
		assertThat(psp.operations(declined, "CAPTURE")).isZero();
	}

	@Test
	void voidsTheAuthorizationOnCancel() {
		String orderId = newOrderId();
		PaymentAuthorized authorized = authorized(orderId, 1500);

		send(orderId, new CancelPayment(orderId));

		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentVoided(orderId, authorized.paymentId()));
		assertThat(psp.authorizations(orderId).getFirst().get("status").asString()).isEqualTo("VOIDED");
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.VOIDED);
		assertThat(ledgerKinds(orderId)).containsExactly("AUTHORIZE", "VOID");
		assertBooksMatchProvider(orderId);

		send(orderId, new CancelPayment(orderId));

		assertThat(awaitReply(orderId, 3)).isEqualTo(new PaymentVoided(orderId, authorized.paymentId()));
		assertThat(psp.operations(orderId, "VOID")).isEqualTo(1);
	}

	@Test
	void refundsTheCaptureOnCancel() {
		String orderId = newOrderId();
		PaymentAuthorized authorized = authorized(orderId, 3300);
		send(orderId, new CapturePayment(orderId));
		awaitReply(orderId, 2);

		send(orderId, new CancelPayment(orderId));

		assertThat(awaitReply(orderId, 3)).isEqualTo(new PaymentRefunded(orderId, authorized.paymentId(), 3300, "EUR"));
		JsonNode atPsp = psp.authorizations(orderId).getFirst();
		assertThat(atPsp.get("refundedMinor").asLong()).isEqualTo(3300);
		assertThat(psp.operations(orderId, "REFUND")).isEqualTo(1);
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.REFUNDED);
		assertThat(ledgerKinds(orderId)).containsExactly("AUTHORIZE", "CAPTURE", "REFUND");
		assertThat(ledger.balancesOf(orderId)).containsEntry("psp_receivable", 0L).containsEntry("revenue", 0L);
		assertBooksMatchProvider(orderId);
	}

	@Test
	void answersVoidedWithoutPaymentWhenNothingWasAuthorizedAndAuthorizesNothingAfterwards() {
		String orderId = newOrderId();

		send(orderId, new CancelPayment(orderId));

		assertThat(awaitReply(orderId, 1)).isEqualTo(new PaymentVoided(orderId, null));
		assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.CANCELLED);

		// An AuthorizePayment that comes after all (a replayed dead letter) must not charge.
		send(orderId, authorizePayment(orderId, 900, "tok_ok"));
		send(orderId, new CancelPayment(orderId));

		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentVoided(orderId, null));
		assertThat(psp.authorizations(orderId)).isEmpty();
		assertThat(ledger.entriesOf(orderId)).isEmpty();
	}

	@Test
	void authorizesCapturesAndRefundsAZeroAmountWithoutTheProvider() {
		String orderId = newOrderId();

		PaymentAuthorized authorized = authorized(orderId, 0);
		send(orderId, new CapturePayment(orderId));
		send(orderId, new CancelPayment(orderId));

		assertThat(authorized.amountMinor()).isZero();
		assertThat(awaitReply(orderId, 2)).isEqualTo(new PaymentCaptured(orderId, authorized.paymentId(), 0, "EUR"));
		assertThat(awaitReply(orderId, 3)).isEqualTo(new PaymentRefunded(orderId, authorized.paymentId(), 0, "EUR"));
		assertThat(psp.authorizations(orderId)).isEmpty();
		assertThat(ledger.entriesOf(orderId)).isEmpty();
	}

	@Test
	void showsThePaymentWithItsLedgerToOperators() {
		String orderId = newOrderId();
		PaymentAuthorized authorized = authorized(orderId, 1234);
		send(orderId, new CapturePayment(orderId));
		awaitReply(orderId, 2);
		Http http = new Http(port);

		Http.Response found = http.get("/v1/admin/payments/" + orderId);
		Http.Response missing = http.get("/v1/admin/payments/" + newOrderId());

		assertThat(found.status()).isEqualTo(200);
		JsonNode body = found.json();
		assertThat(body.get("paymentId").asString()).isEqualTo(authorized.paymentId());
		assertThat(body.get("status").asString()).isEqualTo("CAPTURED");
		assertThat(body.get("pspAuthorizationId").asString())
			.isEqualTo(psp.authorizations(orderId).getFirst().get("id").asString());
		assertThat(body.get("capturedMinor").asLong()).isEqualTo(1234);
		assertThat(body.get("ledger")).hasSize(6);
		assertThat(body.get("balances").get("psp_receivable").asLong()).isEqualTo(1234);
		long sum = 0;
		for (JsonNode entry : body.get("ledger")) {
			sum += entry.get("amountMinor").asLong();
		}
		assertThat(sum).isZero();
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
	}
}
