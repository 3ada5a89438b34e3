package io.orderly.platform.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * A subscriber whose effect is a row per applied message, written in the subscriber's
 * transaction, so the tests can count effects; deliveries (handler calls, rolled back or
 * not) are counted in memory.
 */
public class Recorder {

	public static final String SUBSCRIPTION = "test.recorder";

	private final JdbcClient jdbc;

	private final Outbox outbox;

	private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

	private final AtomicBoolean poisonCured = new AtomicBoolean();

	Recorder(JdbcClient jdbc, Outbox outbox) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		jdbc.sql("""
				create table if not exists public.recorded_effects (
				    id          bigint generated always as identity primary key,
				    message_id  uuid not null,
				    subject     text not null,
				    sequence    bigint not null,
				    applied_at  timestamptz not null default clock_timestamp())""").update();
	}

	/** A poisoned message of a subject ending so can never be applied: its handler says so ({@link Unprocessable}). */
	public static final String UNPROCESSABLE = "-unprocessable";

	private static final class Unreadable extends IllegalArgumentException implements Unprocessable {

		Unreadable(String message) {
			super(message);
		}
	}

	public Subscription subscription() {
		return Subscription.named(SUBSCRIPTION).on(Recorded.class, this::on).concurrency(3).build();
	}

	private void on(Recorded event, Message message) {
		deliveries.computeIfAbsent(message.id().toString(), id -> new AtomicInteger()).incrementAndGet();
		if (event.poison() && !poisonCured.get()) {
			if (event.subject().endsWith(UNPROCESSABLE)) {
				throw new Unreadable("unprocessable " + event.subject() + "/" + event.sequence());
			}
			throw new IllegalStateException("poison " + event.subject() + "/" + event.sequence());
		}
		jdbc.sql("insert into public.recorded_effects (message_id, subject, sequence) values (:id, :subject, :sequence)")
			.param("id", message.id())
			.param("subject", message.subject())
			.param("sequence", event.sequence())
			.update();
	}

	@Transactional
	public void publish(Recorded event) {
		outbox.publish(event.subject(), event);
	}

	public void curePoison(boolean cured) {
		poisonCured.set(cured);
	}

	public int deliveriesOf(String messageId) {
		AtomicInteger count = deliveries.get(messageId);
		return count == null ? 0 : count.get();
	}

	/** Applied effects on subjects starting with {@code prefix}, in the order they were applied. */
	public List<Effect> effects(String prefix) {
		return jdbc.sql("""
				select message_id::text as message_id, subject, sequence from public.recorded_effects
				where starts_with(subject, :prefix) order by id""")
			.param("prefix", prefix)
			.query(Effect.class)
			.list();
	}

	public record Effect(String messageId, String subject, long sequence) {
	}
}
