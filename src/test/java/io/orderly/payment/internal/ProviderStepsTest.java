package io.orderly.payment.internal;

import io.orderly.payment.internal.ProviderSteps.Unanswered;
import io.orderly.payment.internal.ProviderUnavailable.Failure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a call without a usable answer tells the one who decides what happens next: only a
 * provider that could not be reached is away (the recovery ramp starts over at one call), our own
 * bulkhead being full says nothing of the provider, and a key still in use means another request
 * with it is being answered (asked again shortly, never given up on that account).
 */
class ProviderStepsTest {

	private static Unanswered unanswered(Failure failure) {
		return Unanswered.of(new ProviderUnavailable("authorize", failure, null, null, null), null);
	}

	@Test
	void onlyAProviderThatCouldNotBeReachedIsAway() {
		assertThat(unanswered(Failure.CONNECTION_REFUSED).providerAway()).isTrue();
		assertThat(unanswered(Failure.CIRCUIT_OPEN).providerAway()).isTrue();
		assertThat(unanswered(Failure.BULKHEAD_FULL).providerAway()).as("our own bound").isFalse();
		assertThat(unanswered(Failure.TIMEOUT).providerAway()).isFalse();
		assertThat(unanswered(Failure.SERVER_ERROR).providerAway()).isFalse();
		assertThat(unanswered(Failure.KEY_IN_USE).providerAway()).isFalse();
	}

	@Test
	void aKeyInUseMeansTheAnswerIsComingElsewhere() {
		assertThat(unanswered(Failure.KEY_IN_USE).elsewhere()).isTrue();
		for (Failure failure : Failure.values()) {
			if (failure != Failure.KEY_IN_USE) {
				assertThat(unanswered(failure).elsewhere()).as(failure.name()).isFalse();
			}
		}
	}
}
