package io.orderly.platform.messaging;

/**
 * Named points where the fault campaign and the tests crash the kernel on purpose, as a
 * process death would. Production runs {@link #NONE}.
 */
@FunctionalInterface
public interface FaultInjection {

	/** After a consumer applied a batch, before its acknowledgement (the cursor) commits. */
	String CONSUMER_BEFORE_ACK = "consumer.before-ack";

	/** After the relay assigned log positions, before it commits them. */
	String RELAY_BEFORE_COMMIT = "relay.before-commit";

	/** The publisher read a batch of the log and sends it to the broker (a throw: the broker does not answer). */
	String PUBLISHER_SENDING = "publisher.sending";

	/** After the broker acknowledged a batch of the log, before the publisher's position moves past it. */
	String PUBLISHER_BEFORE_MARK = "publisher.before-mark";

	/** After the payment module's provider call was answered, before the answer is recorded. */
	String PROVIDER_ANSWERED = "payment.provider-answered";

	FaultInjection NONE = point -> {
	};

	/** Throws to simulate a crash at {@code point}; returns to carry on. */
	void at(String point);
}
