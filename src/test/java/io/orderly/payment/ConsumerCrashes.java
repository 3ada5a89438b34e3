package io.orderly.payment;

import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.platform.messaging.FaultInjection;

/**
 * Crashes the payment module's consumer after it applied a batch and before that commits, as
 * a process death at the worst moment would: the provider did the work, our records of it are
 * rolled back, and the command is delivered again.
 */
public class ConsumerCrashes implements FaultInjection {

	private final AtomicInteger remaining = new AtomicInteger();

	/** Crashes the next {@code times} payment batches. */
	public void crashPaymentConsumer(int times) {
		remaining.set(times);
	}

	public int remaining() {
		return remaining.get();
	}

	@Override
	public void at(String point) {
		if (CONSUMER_BEFORE_ACK.equals(point) && Thread.currentThread().getName().contains("consumer-payment#")
				&& remaining.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
			throw new IllegalStateException("Simulated crash of the payment consumer before it committed");
		}
	}
}
