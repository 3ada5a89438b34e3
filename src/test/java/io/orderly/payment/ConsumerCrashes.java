package io.orderly.payment;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orderly.platform.messaging.FaultInjection;

/**
 * Crashes the payment module where a process death hurts most: its consumer after it applied a
 * batch and before that commits (the command is delivered again), and a provider call after the
 * provider answered and before the answer is recorded (the provider did the work, we do not know
 * it, and the call is made again once its lease has passed). Also, at that second point: an
 * error of ours that the process survives (a bug, the database away), and a pause that keeps
 * an attempt's answer from being recorded until the test lets it go.
 */
public class ConsumerCrashes implements FaultInjection {

	/** A process death: nothing of ours runs after it, not even error handling. */
	static final class SimulatedCrash extends Error {

		SimulatedCrash(String message) {
			super(message);
		}
	}

	private final AtomicInteger consumer = new AtomicInteger();

	private final AtomicInteger answered = new AtomicInteger();

	private final AtomicInteger failures = new AtomicInteger();

	private final Queue<CountDownLatch> holds = new ConcurrentLinkedQueue<>();

	private final AtomicInteger held = new AtomicInteger();

	/** Crashes the next {@code times} payment batches. */
	public void crashPaymentConsumer(int times) {
		consumer.set(times);
	}

	/** Crashes the next {@code times} provider calls between the provider's answer and its record. */
	public void crashAfterProviderAnswered(int times) {
		answered.set(times);
	}

	/** The next {@code times} provider calls fail with an error of ours after the provider answered. */
	public void failAfterProviderAnswered(int times) {
		failures.set(times);
	}

	/**
	 * The next provider call to be answered waits, before its answer is recorded, until the
	 * returned latch is counted down.
	 */
	public CountDownLatch holdNextAnswer() {
		CountDownLatch hold = new CountDownLatch(1);
		holds.add(hold);
		return hold;
	}

	/** How many answers have been held so far. */
	public int held() {
		return held.get();
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
		if (PROVIDER_ANSWERED.equals(point)) {
			CountDownLatch hold = holds.poll();
			if (hold != null) {
				held.incrementAndGet();
				awaitRelease(hold);
			}
			if (answered.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
				throw new SimulatedCrash("Simulated crash after the provider answered, before the answer was recorded");
			}
			if (failures.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
				throw new IllegalStateException("Simulated error of ours after the provider answered");
			}
		}
	}

	private static void awaitRelease(CountDownLatch hold) {
		try {
			if (!hold.await(2, TimeUnit.MINUTES)) {
				throw new IllegalStateException("A held provider answer was never let go");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}
}
