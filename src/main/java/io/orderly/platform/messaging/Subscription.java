package io.orderly.platform.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A named subscriber to the message log and the handler for each payload type it wants.
 * Declare one as a bean; the kernel delivers every matching message to it at least once and
 * records it in the subscriber's inbox in the same transaction as the handler's effect, so
 * the effect happens once. A handler that throws is retried with backoff; later messages of
 * the same subject wait behind it, other subjects do not.
 *
 * <pre>{@code
 * @Bean
 * Subscription shippingOnPayments(Shipments shipments) {
 *     return Subscription.named("shipping")
 *         .on(PaymentCaptured.class, (event, message) -> shipments.prepare(event.orderId()))
 *         .build();
 * }
 * }</pre>
 */
public final class Subscription {

	private final String name;

	private final Map<Class<?>, Handler<?>> handlers;

	private final int concurrency;

	private Subscription(String name, Map<Class<?>, Handler<?>> handlers, int concurrency) {
		this.name = name;
		this.handlers = Map.copyOf(handlers);
		this.concurrency = concurrency;
	}

	public static Builder named(String name) {
		return new Builder(name);
	}

	public String name() {
		return name;
	}

	/** How many partitions of subjects are applied in parallel, each in subject order. */
	public int concurrency() {
		return concurrency;
	}

	Map<Class<?>, Handler<?>> handlers() {
		return handlers;
	}

	Set<Class<?>> payloadTypes() {
		return handlers.keySet();
	}

	/** Applies one payload; runs inside the subscriber's transaction. */
	@FunctionalInterface
	public interface Handler<T> {

		void handle(T payload, Message message);
	}

	public static final class Builder {

		private final String name;

		private final Map<Class<?>, Handler<?>> handlers = new LinkedHashMap<>();

		private int concurrency = 1;

		private Builder(String name) {
			if (name == null || !name.matches("[a-z][a-z0-9._-]{0,99}")) {
				throw new IllegalArgumentException("A subscription name is lower-case letters, digits, '.', '_' or '-': " + name);
			}
			this.name = name;
		}

		public <T> Builder on(Class<T> payloadType, Handler<? super T> handler) {
			if (handlers.putIfAbsent(payloadType, handler) != null) {
				throw new IllegalArgumentException(name + " already handles " + payloadType.getName());
			}
			return this;
		}

		/**
		 * Applies messages in {@code partitions} parallel workers, each owning the subjects
		 * whose hash falls in its partition (order per subject is kept). For handlers that
		 * wait on I/O. Changing it restarts the partitions' cursors: change it only on an
		 * empty backlog.
		 */
		public Builder concurrency(int partitions) {
			if (partitions < 1 || partitions > 64) {
				throw new IllegalArgumentException("concurrency must be 1..64, was " + partitions);
			}
			this.concurrency = partitions;
			return this;
		}

		public Subscription build() {
			if (handlers.isEmpty()) {
				throw new IllegalStateException("Subscription " + name + " handles nothing");
			}
			return new Subscription(name, handlers, concurrency);
		}
	}
}
