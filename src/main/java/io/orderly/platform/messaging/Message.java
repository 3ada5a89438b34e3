package io.orderly.platform.messaging;

import java.time.Instant;
import java.util.UUID;

/**
 * A message as a subscriber receives it: the CloudEvents attributes (id, source, type,
 * subject = the aggregate id, time), the log sequence, correlation and causation ids, the
 * W3C trace context, and the JSON payload.
 *
 * @param id            unique per message; the inbox deduplicates by it
 * @param type          the {@link MessageType} name, version included
 * @param source        the module that published it
 * @param subject       the aggregate id; messages of one subject arrive in commit order
 * @param time          when the publisher's clock said it happened
 * @param sequence      the message's position in the log, increasing in commit order
 * @param correlationId the id shared by everything one request or saga caused
 * @param causationId   the id of the message whose handling published this one, if any
 * @param traceparent   W3C trace context of the publisher, if any
 * @param payload       the payload as JSON
 * @param committedAt   when the outbox row was written (for commit-to-consume latency)
 */
public record Message(UUID id, String type, String source, String subject, Instant time, long sequence,
		String correlationId, String causationId, String traceparent, String payload, Instant committedAt) {

	public static final String SPEC_VERSION = "1.0";

	public Message {
		if (id == null || type == null || source == null || subject == null || time == null || payload == null) {
			throw new IllegalArgumentException("A message needs id, type, source, subject, time and payload");
		}
	}
}
