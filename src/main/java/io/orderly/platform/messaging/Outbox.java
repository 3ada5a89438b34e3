package io.orderly.platform.messaging;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.orderly.platform.Ids;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes messages in the caller's transaction: the message is stored beside the state
 * change that caused it and commits or rolls back with it. The relay delivers it after
 * commit; no message is published for a change that did not happen, and none is lost for
 * one that did.
 */
@Component
public class Outbox {

	private final JdbcClient jdbc;

	private final MessageCodec codec;

	private final Clock clock;

	/** Runs after a transaction that published commits: wakes this process's relay at once. */
	private volatile Runnable afterCommit = () -> {
	};

	Outbox(JdbcClient jdbc, MessageCodec codec, Clock clock) {
		this.jdbc = jdbc;
		this.codec = codec;
		this.clock = clock;
	}

	/**
	 * Stores {@code payload} (a record annotated with {@link MessageType}) for delivery.
	 * Messages of one {@code subject} (the aggregate id) reach each subscriber in the order
	 * their transactions commit; writers of one aggregate serialize on its row.
	 *
	 * @return the new message's id
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public UUID publish(String subject, Object payload) {
		if (subject == null || subject.isBlank()) {
			throw new IllegalArgumentException("A message needs a subject (its aggregate id)");
		}
		String type = codec.typeOf(payload.getClass());
		UUID id = Ids.next();
		jdbc.sql("""
				insert into platform.outbox (message_id, type, source, subject, payload, headers, occurred_at)
				values (:id, :type, :source, :subject, cast(:payload as jsonb), cast(:headers as jsonb), :time)
				""")
			.param("id", id)
			.param("type", type)
			.param("source", sourceOf(type))
			.param("subject", subject)
			.param("payload", codec.write(payload))
			.param("headers", codec.write(headers()))
			.param("time", Timestamp.from(clock.instant()))
			.update();
		if (!TransactionSynchronizationManager.hasResource(this)) {
			TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
					if (status == STATUS_COMMITTED) {
						afterCommit.run();
					}
				}
			});
		}
		return id;
	}

	void onCommit(Runnable action) {
		this.afterCommit = action;
	}

	private static Map<String, String> headers() {
		Map<String, String> headers = new LinkedHashMap<>();
		String correlationId = MessageContext.correlationId();
		headers.put("correlationId", correlationId != null ? correlationId : Ids.nextString());
		Message cause = MessageContext.current();
		if (cause != null) {
			headers.put("causationId", cause.id().toString());
		}
		String traceparent = MessageContext.traceparent();
		if (traceparent != null) {
			headers.put("traceparent", traceparent);
		}
		return headers;
	}

	/** {@code orderly.order.OrderPlaced.v1} comes from {@code /orderly/order}. */
	static String sourceOf(String type) {
		String family = familyOf(type);
		return "/" + (family.equals(type) ? type : family.replace('.', '/'));
	}

	/** The module a type belongs to: {@code orderly.order} for {@code orderly.order.OrderPlaced.v1}. */
	static String familyOf(String type) {
		String[] parts = type.split("\\.");
		return parts.length >= 3 ? parts[0] + "." + parts[1] : type;
	}
}
