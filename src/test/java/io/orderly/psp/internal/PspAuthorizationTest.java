package io.orderly.psp.internal;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PspAuthorizationTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private static final Instant T1 = T0.plusSeconds(1);

	private final Authorization authorized = Authorization.attempt("order-1", 2598, "EUR", CardToken.OK, T0);

	@Test
	void authorizesGoodCardsAndDeclinesTheOthersWithTheirCode() {
		assertThat(authorized.status()).isEqualTo(AuthorizationStatus.AUTHORIZED);
		assertThat(authorized.declineCode()).isNull();
		assertThat(Authorization.attempt("o", 1, "EUR", CardToken.DECLINED, T0))
			.extracting(Authorization::status, Authorization::declineCode)
			.containsExactly(AuthorizationStatus.DECLINED, "card_declined");
		assertThat(Authorization.attempt("o", 1, "EUR", CardToken.INSUFFICIENT_FUNDS, T0))
			.extracting(Authorization::status, Authorization::declineCode)
			.containsExactly(AuthorizationStatus.DECLINED, "insufficient_funds");
	}

	@Test
	void capturesOnceAtMostTheAuthorizedAmount() {
		Authorization captured = authorized.capture(2000, T1);

		assertThat(captured.status()).isEqualTo(AuthorizationStatus.CAPTURED);
		assertThat(captured.capturedMinor()).isEqualTo(2000);
		assertThat(captured.updatedAt()).isEqualTo(T1);
		assertThatThrownBy(() -> captured.capture(598, T1)).isInstanceOf(IllegalTransition.class)
			.hasMessageContaining("it is CAPTURED");
	}

	@Test
	void refusesToCaptureMoreThanAuthorized() {
		assertThatThrownBy(() -> authorized.capture(2599, T1)).isInstanceOf(AmountTooLarge.class)
			.extracting(e -> ((AmountTooLarge) e).availableMinor())
			.isEqualTo(2598L);
	}

	@Test
	void refusesToCaptureDeclinedOrVoidedAuthorizations() {
		Authorization declined = Authorization.attempt("o", 100, "EUR", CardToken.DECLINED, T0);
		assertThatThrownBy(() -> declined.capture(100, T1)).isInstanceOf(IllegalTransition.class);
		assertThatThrownBy(() -> authorized.voided(T1).capture(100, T1)).isInstanceOf(IllegalTransition.class)
			.hasMessageContaining("VOIDED cannot become CAPTURED");
	}

	@Test
	void voidsOnlyWhatIsAuthorizedAndNotCaptured() {
		Authorization voided = authorized.voided(T1);

		assertThat(voided.voided()).isTrue();
		assertThat(voided.capturedMinor()).isZero();
		assertThatThrownBy(() -> voided.voided(T1)).isInstanceOf(IllegalTransition.class);
		assertThatThrownBy(() -> authorized.capture(2598, T1).voided(T1)).isInstanceOf(IllegalTransition.class);
	}

	@Test
	void refundsInPartsUpToWhatWasCaptured() {
		Authorization captured = authorized.capture(2000, T1);

		Authorization refunded = captured.refund(1500, T1).refund(500, T1);

		assertThat(refunded.refundedMinor()).isEqualTo(2000);
		assertThat(refunded.refundableMinor()).isZero();
		assertThatThrownBy(() -> captured.refund(2001, T1)).isInstanceOf(AmountTooLarge.class);
		assertThatThrownBy(() -> refunded.refund(1, T1)).isInstanceOf(AmountTooLarge.class);
		assertThatThrownBy(() -> authorized.refund(1, T1)).isInstanceOf(IllegalTransition.class);
	}
}
