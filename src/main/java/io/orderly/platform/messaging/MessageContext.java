package io.orderly.platform.messaging;

import org.slf4j.MDC;

/**
 * What a message being published inherits from the work that publishes it: the correlation
 * id and trace context of the HTTP request (from the MDC) or of the message being handled.
 */
public final class MessageContext {

	public static final String CORRELATION_ID = "correlationId";

	public static final String TRACEPARENT = "traceparent";

	private static final ThreadLocal<Message> handling = new ThreadLocal<>();

	private MessageContext() {
	}

	static void handling(Message message) {
		handling.set(message);
		MDC.put(CORRELATION_ID, message.correlationId());
	}

	static void done() {
		handling.remove();
		MDC.remove(CORRELATION_ID);
	}

	static Message current() {
		return handling.get();
	}

	static String correlationId() {
		Message message = handling.get();
		if (message != null && message.correlationId() != null) {
			return message.correlationId();
		}
		return MDC.get(CORRELATION_ID);
	}

	static String traceparent() {
		Message message = handling.get();
		return message != null ? message.traceparent() : MDC.get(TRACEPARENT);
	}
}
