package io.orderly.shipping;

import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes the (simulated) carrier refuse work, for compensation tests and demos. While a fault
 * is set, cancelling a live shipment answers {@link ShipmentCancellationFailed} with reason
 * {@code carrier_unavailable}, and creating a new shipment answers
 * {@link ShipmentCreationFailed} with the same reason.
 *
 * <p>Only work that reaches the carrier fails: a repeated CreateShipment for an existing
 * shipment still answers {@link ShipmentCreated}; a CancelShipment for an order without a live
 * shipment (none yet, or cancelled already) still answers {@link ShipmentCancelled}; one for a
 * dispatched shipment still answers {@code already_dispatched}.
 *
 * <p>A fault is either on ({@code failCancellations}) or counted ({@code cancellationsToFail}:
 * the next n cancellations fail, then they succeed again). A counted failure is used up only
 * when the transaction that used it commits. The settings live in this process's memory: in a
 * distributed deployment set them on every shipping instance. Operators reach them at
 * {@code /v1/admin/shipping/faults}.
 */
@Component
@ConditionalOnModule("shipping")
public class ShippingFaults {

	/** The reason a shipping reply carries when a fault made the carrier refuse. */
	public static final String CARRIER_UNAVAILABLE = "carrier_unavailable";

	private volatile boolean failCancellations;

	private final AtomicInteger cancellationsToFail = new AtomicInteger();

	private volatile boolean failCreations;

	private final AtomicInteger creationsToFail = new AtomicInteger();

	/**
	 * The faults in force.
	 *
	 * @param failCancellations   every cancellation of a live shipment fails
	 * @param cancellationsToFail the next this many cancellations of a live shipment fail
	 * @param failCreations       every creation of a new shipment fails
	 * @param creationsToFail     the next this many creations of a new shipment fail
	 */
	public record Settings(boolean failCancellations, int cancellationsToFail, boolean failCreations,
			int creationsToFail) {

		public static final Settings NONE = new Settings(false, 0, false, 0);

		public Settings {
			if (cancellationsToFail < 0 || creationsToFail < 0) {
				throw new IllegalArgumentException("counts of failures must not be negative");
			}
		}
	}

	public Settings settings() {
		return new Settings(failCancellations, cancellationsToFail.get(), failCreations, creationsToFail.get());
	}

	/** Replaces every setting. */
	public void apply(Settings settings) {
		failCancellations = settings.failCancellations();
		cancellationsToFail.set(settings.cancellationsToFail());
		failCreations = settings.failCreations();
		creationsToFail.set(settings.creationsToFail());
	}

	/** Turns every fault off. */
	public void reset() {
		apply(Settings.NONE);
	}

	public void setFailCancellations(boolean fail) {
		failCancellations = fail;
	}

	public void setCancellationsToFail(int count) {
		cancellationsToFail.set(requireCount(count));
	}

	public void setFailCreations(boolean fail) {
		failCreations = fail;
	}

	public void setCreationsToFail(int count) {
		creationsToFail.set(requireCount(count));
	}

	/** Whether some cancellation may fail; cheap, so the module asks before looking further. */
	public boolean cancellationsMayFail() {
		return failCancellations || cancellationsToFail.get() > 0;
	}

	/** Whether some creation may fail. */
	public boolean creationsMayFail() {
		return failCreations || creationsToFail.get() > 0;
	}

	/**
	 * Asked by the shipping module when it would tell the carrier to cancel a shipment: whether
	 * the carrier refuses. Uses up a counted failure (given back if the transaction rolls back).
	 */
	public boolean refuseCancellation() {
		return failCancellations || take(cancellationsToFail);
	}

	/** Asked by the shipping module when it would book a new shipment: whether the carrier refuses. */
	public boolean refuseCreation() {
		return failCreations || take(creationsToFail);
	}

	private static boolean take(AtomicInteger remaining) {
		boolean taken = remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
		if (taken && TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					if (status != STATUS_COMMITTED) {
						remaining.incrementAndGet();
					}
				}
			});
		}
		return taken;
	}

	private static int requireCount(int count) {
		if (count < 0) {
			throw new IllegalArgumentException("a count of failures must not be negative, was " + count);
		}
		return count;
	}
}
