package io.orderly.payment;

import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.platform.messaging.FaultInjection;

/**
 * Crashes the payment module where a process death hurts most: its consumer after it applied a
 * batch and before that commits (the command is delivered again), and a provider call after the
 * provider answered and before the answer is recorded (the provider did the work, we do not know
 * it, and the call is made again once its lease has passed).
 */
public class ConsumerCrashes implements FaultInjection {

	private final AtomicInteger consumer = new AtomicInteger();

	private final AtomicInteger answered = new AtomicInteger();

	/** Crashes the next {@code times} payment batches. */
	public void crashPaymentConsumer(int times) {
		consumer.set(times);
	}

	/** Crashes the next {@code times} provider calls between the provider's answer and its record. */
	public void crashAfterProviderAnswered(int times) {
		answered.set(times);
	}

	/** Crashes still to come, of both kinds. */
	public int remaining() {
		return consumer.get() + answered.get();
	}

	@Override
	public void at(String point) {
		if (CONSUMER_BEFORE_ACK.equals(point) && Thread.currentThread().getName().contains("consumer-payment#")
				&& consumer.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
			throw new IllegalStateException("Simulated crash of the payment consumer before it committed");
		}
		if (PROVIDER_ANSWERED.equals(point) && answered.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
			throw new IllegalStateException("Simulated crash after the provider answered, before the answer was recorded");
		}
	}
}
