package io.orderly.payment;

import org.junit.jupiter.api.Test;

import static io.orderly.payment.PaymentStatus.AUTHORIZATION_UNKNOWN;
import static io.orderly.payment.PaymentStatus.AUTHORIZED;
import static io.orderly.payment.PaymentStatus.CANCELLED;
import static io.orderly.payment.PaymentStatus.CAPTURED;
import static io.orderly.payment.PaymentStatus.DECLINED;
import static io.orderly.payment.PaymentStatus.REFUNDED;
import static io.orderly.payment.PaymentStatus.VOIDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentStatusTest {

	@Test
	void movesForwardAlongTheProvidersLifecycle() {
		assertThat(AUTHORIZED.transitionTo(CAPTURED)).isEqualTo(CAPTURED);
		assertThat(AUTHORIZED.transitionTo(VOIDED)).isEqualTo(VOIDED);
		assertThat(CAPTURED.transitionTo(REFUNDED)).isEqualTo(REFUNDED);
	}

	@Test
	void learnsTheOutcomeOfAnUnknownAuthorizationLate() {
		for (PaymentStatus learned : new PaymentStatus[] { AUTHORIZED, DECLINED, CAPTURED, VOIDED, REFUNDED }) {
			assertThat(AUTHORIZATION_UNKNOWN.transitionTo(learned)).isEqualTo(learned);
			assertThat(CANCELLED.transitionTo(learned)).isEqualTo(learned);
		}
	}

	@Test
	void neverGoesBackNorCapturesAVoidedOrDeclinedPayment() {
		assertThatThrownBy(() -> VOIDED.transitionTo(CAPTURED))
			.isInstanceOf(PaymentStatus.IllegalStateTransition.class)
			.hasMessage("A payment cannot go from VOIDED to CAPTURED");
		assertThatThrownBy(() -> DECLINED.transitionTo(AUTHORIZED)).isInstanceOf(PaymentStatus.IllegalStateTransition.class);
		assertThatThrownBy(() -> CAPTURED.transitionTo(VOIDED)).isInstanceOf(PaymentStatus.IllegalStateTransition.class);
		assertThatThrownBy(() -> REFUNDED.transitionTo(CAPTURED)).isInstanceOf(PaymentStatus.IllegalStateTransition.class);
		assertThatThrownBy(() -> AUTHORIZED.transitionTo(AUTHORIZATION_UNKNOWN))
			.isInstanceOf(PaymentStatus.IllegalStateTransition.class);
	}
}
