package io.orderly.shipping;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ShippingFaultsTest {

	private final ShippingFaults faults = new ShippingFaults();

	@AfterEach
	void clearSynchronization() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.clearSynchronization();
		}
	}

	@Test
	void refusesNothingByDefault() {
		assertThat(faults.cancellationsMayFail()).isFalse();
		assertThat(faults.refuseCancellation()).isFalse();
		assertThat(faults.refuseCreation()).isFalse();
	}

	@Test
	void refusesEveryCancellationWhileSetAndNoneAfterReset() {
		faults.setFailCancellations(true);
		assertThat(faults.refuseCancellation()).isTrue();
		assertThat(faults.refuseCancellation()).isTrue();
		assertThat(faults.refuseCreation()).isFalse();

		faults.reset();
		assertThat(faults.refuseCancellation()).isFalse();
		assertThat(faults.settings()).isEqualTo(ShippingFaults.Settings.NONE);
	}

	@Test
	void refusesTheCountedNumberOfCancellations() {
		faults.setCancellationsToFail(2);

		assertThat(faults.refuseCancellation()).isTrue();
		assertThat(faults.refuseCancellation()).isTrue();
		assertThat(faults.refuseCancellation()).isFalse();
		assertThat(faults.cancellationsMayFail()).isFalse();
	}

	@Test
	void givesACountedFailureBackWhenItsTransactionRollsBack() {
		faults.setCreationsToFail(1);
		TransactionSynchronizationManager.initSynchronization();

		assertThat(faults.refuseCreation()).isTrue();
		assertThat(faults.settings().creationsToFail()).isZero();
		TransactionSynchronizationManager.getSynchronizations()
			.forEach(sync -> sync.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));

		assertThat(faults.settings().creationsToFail()).isEqualTo(1);
	}

	@Test
	void keepsACountedFailureUsedWhenItsTransactionCommits() {
		faults.setCancellationsToFail(1);
		TransactionSynchronizationManager.initSynchronization();

		assertThat(faults.refuseCancellation()).isTrue();
		TransactionSynchronizationManager.getSynchronizations()
			.forEach(sync -> sync.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));

		assertThat(faults.settings().cancellationsToFail()).isZero();
	}

	@Test
	void refusesNegativeCounts() {
		assertThatIllegalArgumentException().isThrownBy(() -> faults.setCancellationsToFail(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> new ShippingFaults.Settings(false, 0, false, -1));
	}
}
