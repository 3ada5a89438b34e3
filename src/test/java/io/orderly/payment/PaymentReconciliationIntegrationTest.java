package io.orderly.payment;

import java.util.List;

import io.orderly.Http;
import io.orderly.payment.internal.PaymentProvider;
import io.orderly.payment.internal.PaymentReconciliation;
import io.orderly.payment.internal.PaymentReconciliation.Kind;
import io.orderly.payment.internal.PaymentReconciliation.Mismatch;
import io.orderly.payment.internal.ProviderAuthorization;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation finds where the provider and our books disagree, fixes what is safe to fix
 * (money held or taken for an order we answered as declined, authorizations not ours, our
 * record behind the provider's) and reports the rest. The provider's own records are the
 * judge. Disagreements are made here by acting on the provider directly, with keys of our own,
 * as a provider's bug or a lost webhook would.
 */
class PaymentReconciliationIntegrationTest extends PaymentTestSupport {

	@Autowired
	PaymentProvider provider;

	@Autowired
	PaymentReconciliation reconciliation;

	private String declined() {
		String orderId = newOrderId();
		send(orderId, authorizePayment(orderId, 1500, "tok_declined"));
		assertThat(awaitReply(orderId, 1)).isInstanceOf(PaymentDeclined.class);
		return orderId;
	}

	private ProviderAuthorization stray(String orderId, long amount) {
		return provider.authorize("stray:" + orderId + ":" + amount, orderId, amount, "EUR", "tok_ok");
	}

	private static List<Kind> kindsFor(PaymentReconciliation.Report report, String orderId) {
		return report.mismatches().stream().filter(m -> m.orderId().equals(orderId)).map(Mismatch::kind).toList();
	}

	private static boolean fixed(PaymentReconciliation.Report report, String orderId, Kind kind) {
		return report.mismatches().stream().anyMatch(m -> m.orderId().equals(orderId) && m.kind() == kind && m.fixed());
	}

	@Test
	void givesBackWhatTheProviderHoldsOrTookForOrdersWeAnsweredAsDeclined() {
		String held = declined();
		ProviderAuthorization orphan = stray(held, 1500);
		String taken = declined();
		ProviderAuthorization strayCapture = stray(taken, 1500);
		provider.capture("stray-capture:" + taken, strayCapture.id(), 1500);
		String clean = newOrderId();
		authorized(clean, 900);

		PaymentReconciliation.Report report = reconciliation.run();

		assertThat(report.complete()).isTrue();
		assertThat(fixed(report, held, Kind.ORPHANED_AUTHORIZATION)).as(report.toString()).isTrue();
		assertThat(fixed(report, taken, Kind.CAPTURED_WITHOUT_ORDER)).as(report.toString()).isTrue();
		assertThat(kindsFor(report, clean)).isEmpty();
		assertThat(provider.find(orphan.id()).orElseThrow().status()).isEqualTo("VOIDED");
		ProviderAuthorization refunded = provider.find(strayCapture.id()).orElseThrow();
		assertThat(refunded.refundedMinor()).isEqualTo(refunded.capturedMinor());

		PaymentReconciliation.Report again = reconciliation.run();
		assertThat(kindsFor(again, held)).isEmpty();
		assertThat(kindsFor(again, taken)).isEmpty();
	}

	@Test
	void catchesUpARecordBehindTheProviderAndReportsMoneyCapturedTwice() {
		String voidedBehindOurBack = newOrderId();
		PaymentAuthorized authorized = authorized(voidedBehindOurBack, 2000);
		String authorizationId = payments.find(voidedBehindOurBack).orElseThrow().pspAuthorizationId();
		provider.voidAuthorization("elsewhere:" + voidedBehindOurBack, authorizationId);

		String twice = newOrderId();
		authorized(twice, 3000);
		send(twice, new CapturePayment(twice));
		assertThat(awaitReply(twice, 2)).isInstanceOf(PaymentCaptured.class);
		ProviderAuthorization second = stray(twice, 3000);
		provider.capture("stray-capture:" + twice, second.id(), 3000);

		PaymentReconciliation.Report report = reconciliation.run();

		assertThat(fixed(report, voidedBehindOurBack, Kind.BEHIND_PROVIDER)).as(report.toString()).isTrue();
		assertThat(payments.find(voidedBehindOurBack).orElseThrow().status()).isEqualTo(PaymentStatus.VOIDED);
		assertThat(authorized.orderId()).isEqualTo(voidedBehindOurBack);
		assertBooksMatchProvider(voidedBehindOurBack);

		assertThat(kindsFor(report, twice)).contains(Kind.CAPTURED_TWICE, Kind.CAPTURED_WITHOUT_ORDER);
		assertThat(report.mismatches()).filteredOn(m -> m.orderId().equals(twice) && m.kind() == Kind.CAPTURED_TWICE)
			.allSatisfy(m -> assertThat(m.fixed()).isFalse());
		assertThat(provider.find(second.id()).orElseThrow().refundedMinor()).isEqualTo(3000);
		assertThat(payments.find(twice).orElseThrow().status()).isEqualTo(PaymentStatus.CAPTURED);

		JsonNode last = new Http(port).get("/v1/admin/payments/reconciliation").json();
		assertThat(last.get("checked").asInt()).isPositive();
		assertThat(last.get("mismatches").toString()).contains(twice, "CAPTURED_TWICE");
	}
}
