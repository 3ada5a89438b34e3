package io.orderly.platform.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An orchestrated saga, read top to bottom: each step's command, the replies that complete
 * or fail it, and the command that undoes it. The engine persists the saga at every step,
 * publishes each command through the outbox in the transaction that consumed the previous
 * reply, gives every step a deadline, and on failure, timeout or cancellation runs the
 * compensations of the steps taken, newest first. A compensation that keeps failing is
 * retried with backoff and then left for an operator (NEEDS_ATTENTION).
 *
 * <p>A step may be the saga's point of no return (a pivot): its compensation may answer that the
 * step can no longer be undone ({@link StepBuilder#compensationRefusedWhen}), as a shipment that
 * has left. No step after a pivot may have a compensation (what follows it is retried, never
 * undone), so nothing was undone when the refusal comes. A cancellation refused so goes back to
 * where the saga stood (completed, or the step it ran, whose command is sent again) and
 * {@link Builder#onCancellationRefused} is told. A compensation begun because a step missed its
 * deadline goes back the same way (the step is asked again: it may have been done, and past the
 * pivot it must be). One begun for a step's failure cannot go back, and waits for an operator at
 * once instead of being retried.
 *
 * @param <D> the saga's data, a record stored as JSON; reply handlers return a new value
 */
public final class SagaDefinition<D> {

	/** What a reply means to the step it belongs to. */
	enum Role {
		COMPLETES, FAILS, COMPENSATED, COMPENSATION_FAILED
	}

	record Reply(int step, Role role, BiFunction<Object, Object, Object> onCompleted,
			Function<Object, String> reason) {
	}

	record Step(String name, Function<Object, Object> command, Function<Object, Object> compensation,
			Duration deadline) {
	}

	/** Called in the transaction that finishes the saga. */
	@FunctionalInterface
	public interface Completion<D> {

		void completed(String sagaId, D data);
	}

	/** Called in the transaction that finishes compensating, with the reason it began. */
	@FunctionalInterface
	public interface Compensation<D> {

		void compensated(String sagaId, D data, String reason);
	}

	/** Called in the transaction that refuses a cancellation, with why the step could not be undone. */
	@FunctionalInterface
	public interface Refusal<D> {

		void refused(String sagaId, D data, String reason);
	}

	private final String name;

	private final Class<D> dataType;

	private final List<Step> steps;

	private final Map<Class<?>, Reply> replies;

	private final Completion<D> onCompleted;

	private final Compensation<D> onCompensated;

	private final Refusal<D> onCancellationRefused;

	private SagaDefinition(Builder<D> builder) {
		this.name = builder.name;
		this.dataType = builder.dataType;
		this.steps = List.copyOf(builder.steps);
		this.replies = Map.copyOf(builder.replies);
		this.onCompleted = builder.onCompleted;
		this.onCompensated = builder.onCompensated;
		this.onCancellationRefused = builder.onCancellationRefused;
	}

	public static <D> Builder<D> named(String name, Class<D> dataType) {
		return new Builder<>(name, dataType);
	}

	public String name() {
		return name;
	}

	Class<D> dataType() {
		return dataType;
	}

	List<Step> steps() {
		return steps;
	}

	Map<Class<?>, Reply> replies() {
		return replies;
	}

	Completion<D> onCompleted() {
		return onCompleted;
	}

	Compensation<D> onCompensated() {
		return onCompensated;
	}

	Refusal<D> onCancellationRefused() {
		return onCancellationRefused;
	}

	/** The nearest step at or before {@code from} that has a compensation, or -1. */
	int compensableAtOrBefore(int from) {
		for (int step = Math.min(from, steps.size() - 1); step >= 0; step--) {
			if (steps.get(step).compensation() != null) {
				return step;
			}
		}
		return -1;
	}

	public static final class Builder<D> {

		private final String name;

		private final Class<D> dataType;

		private final List<Step> steps = new ArrayList<>();

		private final Map<Class<?>, Reply> replies = new HashMap<>();

		private Duration deadline = Duration.ofSeconds(30);

		private Completion<D> onCompleted = (id, data) -> {
		};

		private Compensation<D> onCompensated = (id, data, reason) -> {
		};

		private Refusal<D> onCancellationRefused = (id, data, reason) -> {
		};

		private final Set<Integer> pivots = new HashSet<>();

		private Builder(String name, Class<D> dataType) {
			this.name = name;
			this.dataType = dataType;
		}

		/** How long each step may wait for its reply before the saga compensates. */
		public Builder<D> deadlinePerStep(Duration deadline) {
			this.deadline = deadline;
			return this;
		}

		public StepBuilder<D> step(String stepName) {
			return new StepBuilder<>(this, stepName);
		}

		public Builder<D> onCompleted(Completion<D> completion) {
			this.onCompleted = completion;
			return this;
		}

		public Builder<D> onCompensated(Compensation<D> compensation) {
			this.onCompensated = compensation;
			return this;
		}

		/** Told, in its transaction, that a cancellation was refused and the saga went back where it stood. */
		public Builder<D> onCancellationRefused(Refusal<D> refusal) {
			this.onCancellationRefused = refusal;
			return this;
		}

		public SagaDefinition<D> build() {
			if (steps.isEmpty()) {
				throw new IllegalStateException("Saga " + name + " has no steps");
			}
			for (int pivot : pivots) {
				for (int later = pivot + 1; later < steps.size(); later++) {
					if (steps.get(later).compensation() != null) {
						throw new IllegalStateException("Step " + steps.get(later).name() + " of saga " + name
								+ " has a compensation but comes after " + steps.get(pivot).name()
								+ ", whose compensation may be refused: nothing after a point of no return is undone");
					}
				}
			}
			return new SagaDefinition<>(this);
		}

		private void reply(Class<?> type, Reply reply) {
			if (replies.putIfAbsent(type, reply) != null) {
				throw new IllegalStateException(type.getSimpleName() + " answers two steps of saga " + name);
			}
		}
	}

	public static final class StepBuilder<D> {

		private final Builder<D> saga;

		private final String name;

		private final int index;

		private Function<Object, Object> command;

		private Function<Object, Object> compensation;

		private Duration deadline;

		private StepBuilder(Builder<D> saga, String name) {
			this.saga = saga;
			this.name = name;
			this.index = saga.steps.size();
			this.deadline = saga.deadline;
		}

		/** The command that performs the step. */
		@SuppressWarnings("unchecked")
		public StepBuilder<D> invoke(Function<D, ?> command) {
			this.command = (Function<Object, Object>) command;
			return this;
		}

		/** The reply that completes the step, and the saga data after it. */
		@SuppressWarnings("unchecked")
		public <R> StepBuilder<D> onReply(Class<R> type, BiFunction<D, R, D> handler) {
			saga.reply(type, new Reply(index, Role.COMPLETES, (BiFunction<Object, Object, Object>) handler, null));
			return this;
		}

		/** A reply that fails the step for good, and the reason the customer reads. */
		@SuppressWarnings("unchecked")
		public <R> StepBuilder<D> onFailure(Class<R> type, Function<R, String> reason) {
			saga.reply(type, new Reply(index, Role.FAILS, null, (Function<Object, String>) reason));
			return this;
		}

		/** The command that undoes the step, and the replies that say it is undone. */
		@SuppressWarnings("unchecked")
		public StepBuilder<D> compensateWith(Function<D, ?> command, Class<?>... undoneBy) {
			this.compensation = (Function<Object, Object>) command;
			for (Class<?> type : undoneBy) {
				saga.reply(type, new Reply(index, Role.COMPENSATED, null, null));
			}
			return this;
		}

		/** Replies that say the compensation failed for now; it is retried with backoff. */
		public StepBuilder<D> compensationFailsOn(Class<?>... types) {
			for (Class<?> type : types) {
				saga.reply(type, new Reply(index, Role.COMPENSATION_FAILED, null, null));
			}
			return this;
		}

		/**
		 * A reply that says the compensation failed: for now (then {@code refusal} gives null, and it
		 * is retried with backoff), or for good, because the step can no longer be undone (then it
		 * gives the reason): this step is the saga's point of no return.
		 */
		@SuppressWarnings("unchecked")
		public <R> StepBuilder<D> compensationRefusedWhen(Class<R> type, Function<R, String> refusal) {
			saga.reply(type, new Reply(index, Role.COMPENSATION_FAILED, null, (Function<Object, String>) refusal));
			saga.pivots.add(index);
			return this;
		}

		public StepBuilder<D> deadline(Duration deadline) {
			this.deadline = deadline;
			return this;
		}

		/** Ends this step and begins the next. */
		public StepBuilder<D> step(String next) {
			finish();
			return saga.step(next);
		}

		public Builder<D> onCompleted(Completion<D> completion) {
			finish();
			return saga.onCompleted(completion);
		}

		private void finish() {
			if (command == null) {
				throw new IllegalStateException("Step " + name + " of saga " + saga.name + " has no command");
			}
			saga.steps.add(new Step(name, command, compensation, deadline));
		}
	}
}
