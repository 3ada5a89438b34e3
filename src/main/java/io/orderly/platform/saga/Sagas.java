package io.orderly.platform.saga;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.platform.messaging.Backoff;
import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.MessageCodec;
import io.orderly.platform.messaging.Outbox;
import io.orderly.platform.messaging.Subscription;
import io.orderly.platform.messaging.SubscriptionSource;
import io.orderly.platform.saga.SagaDefinition.Reply;
import io.orderly.platform.saga.SagaStore.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The saga engine: starts sagas, applies their replies, deadlines and cancellations, and
 * lets an operator retry or resolve a saga that needs attention. Every transition happens in
 * one transaction with the reply that caused it and the command it sends.
 */
@Component
public class Sagas implements SubscriptionSource {

	private static final Logger log = LoggerFactory.getLogger(Sagas.class);

	/** The reason of a compensation begun because a step missed its deadline. */
	static final String TIMEOUT = "timeout";

	private final Map<String, SagaDefinition<?>> definitions;

	private final SagaStore store;

	private final Outbox outbox;

	private final MessageCodec codec;

	private final Clock clock;

	private final SagaProperties properties;

	private final Backoff backoff;

	private final MeterRegistry meters;

	Sagas(ObjectProvider<SagaDefinition<?>> definitions, SagaStore store, Outbox outbox, MessageCodec codec,
			Clock clock, SagaProperties properties, MeterRegistry meters) {
		this.definitions = definitions.orderedStream()
			.collect(Collectors.toMap(SagaDefinition::name, Function.identity()));
		this.store = store;
		this.outbox = outbox;
		this.codec = codec;
		this.clock = clock;
		this.properties = properties;
		this.backoff = new Backoff(properties.compensationBackoffBase(), properties.compensationBackoffMax());
		this.meters = meters;
	}

	/** One subscription for the replies of every saga this process runs. */
	@Override
	public List<Subscription> subscriptions() {
		Set<Class<?>> replyTypes = new HashSet<>();
		definitions.values().forEach(definition -> replyTypes.addAll(definition.replies().keySet()));
		if (replyTypes.isEmpty()) {
			return List.of();
		}
		Subscription.Builder builder = Subscription.named("sagas").concurrency(properties.replyConcurrency());
		replyTypes.forEach(type -> builder.on(type, this::onReply));
		return List.of(builder.build());
	}

	/** Starts saga {@code id} in the caller's transaction and sends its first command. */
	@Transactional(propagation = Propagation.MANDATORY)
	public <D> void start(SagaDefinition<D> definition, String id, D data) {
		store.recording(() -> begin(definition, id, data));
	}

	private <D> void begin(SagaDefinition<D> definition, String id, D data) {
		SagaDefinition.Step first = definition.steps().getFirst();
		store.insert(id, definition.name(), codec.write(data), clock.instant().plus(first.deadline()));
		store.history(id, "STARTED", null, null);
		send(id, first.name(), first.command().apply(data), "COMMAND");
		count("started", definition);
	}

	/**
	 * Locks saga {@code id} until the caller's transaction ends, and tells its state: the first
	 * lock of a decision about the saga's subject made outside the saga (an order's refund or
	 * cancel), taken before the subject's own rows as the engine takes it before them when it
	 * applies a reply, so the two never wait for each other in opposite order.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<SagaState> lock(String id) {
		return store.lock(id).map(Row::state);
	}

	/**
	 * Puts something that happened to the saga's subject outside the saga's steps (an order
	 * dispatched, refunded, a return received) on its history, in the caller's transaction:
	 * timelines and live followers see it beside the steps.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void note(String id, String kind, String detail) {
		store.history(id, kind, null, detail);
	}

	/** What a cancellation request found. */
	public enum CancelOutcome {
		/** Compensation began. */
		CANCELLING,
		/** The saga was already compensating or compensated. */
		ALREADY_CANCELLED,
		/** The saga completed and {@code afterCompletion} was false. */
		NOT_CANCELLABLE,
		/** No such saga. */
		UNKNOWN
	}

	/**
	 * Undoes saga {@code id} with {@code reason}: a running saga compensates the steps taken
	 * (the one in flight included, as its effect may still happen); a completed one only if
	 * {@code afterCompletion}.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public CancelOutcome cancel(String id, String reason, boolean afterCompletion) {
		return store.recording(() -> cancelRecorded(id, reason, afterCompletion));
	}

	private CancelOutcome cancelRecorded(String id, String reason, boolean afterCompletion) {
		Optional<Row> found = store.lock(id);
		if (found.isEmpty()) {
			return CancelOutcome.UNKNOWN;
		}
		Row saga = found.get();
		SagaDefinition<?> definition = definition(saga);
		switch (saga.state()) {
			case RUNNING -> {
				store.history(id, "CANCEL", stepName(definition, saga.step()), reason);
				store.resumeStep(id, saga.step());
				compensate(definition, saga, saga.step(), reason);
				return CancelOutcome.CANCELLING;
			}
			case COMPLETED -> {
				if (!afterCompletion) {
					return CancelOutcome.NOT_CANCELLABLE;
				}
				store.history(id, "CANCEL", null, reason);
				store.resumeStep(id, definition.steps().size());
				compensate(definition, saga, definition.steps().size() - 1, reason);
				return CancelOutcome.CANCELLING;
			}
			default -> {
				return CancelOutcome.ALREADY_CANCELLED;
			}
		}
	}

	private void onReply(Object reply, Message message) {
		store.recording(() -> reply(reply, message));
	}

	private void reply(Object reply, Message message) {
		Optional<Row> found = store.lock(message.subject());
		if (found.isEmpty()) {
			log.debug("Reply {} for unknown saga {}", message.type(), message.subject());
			return;
		}
		Row saga = found.get();
		SagaDefinition<?> definition = definition(saga);
		Reply role = definition.replies().get(reply.getClass());
		if (role == null) {
			return;
		}
		String step = stepName(definition, role.step());
		boolean current = saga.state() == SagaState.RUNNING && role.step() == saga.step();
		boolean compensating = saga.state() == SagaState.COMPENSATING && saga.compensationStep() != null
				&& role.step() == saga.compensationStep();
		switch (role.role()) {
			case COMPLETES -> {
				if (!current) {
					// The step was given up (deadline, cancel): its compensation is sent or done.
					store.history(saga.id(), "LATE_REPLY", step, message.type());
					return;
				}
				store.history(saga.id(), "REPLY", step, message.type());
				Object before = codec.read(saga.data(), definition.dataType());
				Object data = role.onCompleted().apply(before, reply);
				// Most replies leave the data as it was: then it is neither encoded nor written again.
				advance(definition, data == before ? saga : withData(saga, data), data, data != before);
			}
			case FAILS -> {
				if (!current) {
					store.history(saga.id(), "LATE_REPLY", step, message.type());
					return;
				}
				String reason = role.reason().apply(reply);
				store.history(saga.id(), "REPLY", step, message.type() + ": " + reason);
				compensate(definition, saga, saga.step() - 1, reason);
			}
			case COMPENSATED -> {
				if (!compensating) {
					store.history(saga.id(), "LATE_REPLY", step, message.type());
					return;
				}
				store.history(saga.id(), "REPLY", step, message.type());
				compensate(definition, saga, saga.compensationStep() - 1, saga.reason());
			}
			case COMPENSATION_FAILED -> {
				if (!compensating) {
					store.history(saga.id(), "LATE_REPLY", step, message.type());
					return;
				}
				String refusal = role.reason() == null ? null : role.reason().apply(reply);
				if (refusal != null) {
					store.history(saga.id(), "COMPENSATION_REFUSED", step, message.type() + ": " + refusal);
					refused(definition, saga, refusal);
					return;
				}
				store.history(saga.id(), "COMPENSATION_FAILED", step, message.type());
				compensationFailed(definition, saga, message.type());
			}
		}
	}

	/**
	 * Applies a passed deadline: a running step timed out (compensate, the step included, as
	 * its effect may still happen), or a compensation got no reply or waited out its backoff
	 * (send it again, or give up to an operator after the last attempt).
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void onDeadline(String id) {
		store.recording(() -> deadline(id));
	}

	private void deadline(String id) {
		Row saga = store.lock(id).orElseThrow();
		SagaDefinition<?> definition = definition(saga);
		if (saga.state() == SagaState.RUNNING) {
			store.history(id, "TIMEOUT", stepName(definition, saga.step()), null);
			count("timeouts", definition);
			// A step that only missed its deadline may still be done: if the compensation meets the
			// point of no return, the step is asked again instead (a retriable step, past the pivot).
			store.resumeStep(id, saga.step());
			compensate(definition, saga, saga.step(), TIMEOUT);
		}
		else if (saga.state() == SagaState.COMPENSATING) {
			if (saga.attempts() >= properties.maxCompensationAttempts()) {
				needsAttention(definition, saga, "no successful reply after " + saga.attempts() + " attempts");
			}
			else {
				store.history(id, "RETRY", stepName(definition, saga.compensationStep()), null);
				sendCompensation(definition, saga, codec.read(saga.data(), definition.dataType()));
			}
		}
	}

	/**
	 * The step being compensated can no longer be undone (the saga's point of no return; nothing
	 * after it was undone). A cancellation is refused, or a timeout taken back: the saga goes back
	 * where it stood, completed or running the step it ran (its command sent again; it answers as
	 * a repeat). A compensation begun for a step's failure has no forward path to go back to: an
	 * operator decides.
	 */
	private void refused(SagaDefinition<?> definition, Row saga, String reason) {
		Optional<Integer> resume = store.resumeStep(saga.id());
		if (resume.isEmpty()) {
			needsAttention(definition, saga, "cannot be undone: " + reason + " (compensating for: " + saga.reason() + ")");
			return;
		}
		store.resumeStep(saga.id(), null);
		int step = resume.get();
		Object data = codec.read(saga.data(), definition.dataType());
		// Nobody asked for a timeout's compensation: going back is the step's retry, not a refusal to tell.
		boolean cancelled = !TIMEOUT.equals(saga.reason());
		String kind = cancelled ? "CANCELLATION_REFUSED" : "RESUMED";
		if (step >= definition.steps().size()) {
			store.update(new Row(saga.id(), saga.definition(), SagaState.COMPLETED, definition.steps().size() - 1, null,
					saga.data(), null, 0), null, null);
			store.history(saga.id(), kind, null, reason);
		}
		else {
			SagaDefinition.Step running = definition.steps().get(step);
			store.update(new Row(saga.id(), saga.definition(), SagaState.RUNNING, step, null, saga.data(), null, 0),
					clock.instant().plus(running.deadline()), null);
			store.history(saga.id(), kind, running.name(), reason);
			send(saga.id(), running.name(), running.command().apply(data), "COMMAND");
		}
		if (cancelled) {
			cancellationRefused(definition, saga.id(), data, reason);
			count("cancellations_refused", definition);
		}
		else {
			count("timeouts_resumed", definition);
		}
	}

	/** A compensation failed: try again after a backoff (the deadline), or give up to an operator. */
	private void compensationFailed(SagaDefinition<?> definition, Row saga, String error) {
		if (saga.attempts() >= properties.maxCompensationAttempts()) {
			needsAttention(definition, saga, error);
			return;
		}
		store.update(saga, clock.instant().plus(backoff.afterAttempt(saga.attempts())), error);
	}

	private void needsAttention(SagaDefinition<?> definition, Row saga, String error) {
		store.update(new Row(saga.id(), saga.definition(), SagaState.NEEDS_ATTENTION, saga.step(),
				saga.compensationStep(), saga.data(), saga.reason(), saga.attempts()), null, error);
		store.history(saga.id(), "NEEDS_ATTENTION", stepName(definition, saga.compensationStep()), error);
		count("needs_attention", definition);
		log.error("Saga {} ({}) needs attention: compensation {} failed {} time(s), last: {}", saga.id(),
				definition.name(), stepName(definition, saga.compensationStep()), saga.attempts(), error);
	}

	/** Operator: send the failing compensation again, with a fresh set of attempts. */
	@Transactional
	public Optional<SagaInstance> retry(String id) {
		return attended(id, (definition, saga) -> {
			store.history(id, "RETRY", stepName(definition, saga.compensationStep()), "by operator");
			sendCompensation(definition, withAttempts(saga, 0), codec.read(saga.data(), definition.dataType()));
		});
	}

	/** Operator: the failing compensation was done by hand; go on with the ones before it. */
	@Transactional
	public Optional<SagaInstance> resolve(String id) {
		return attended(id, (definition, saga) -> {
			store.history(id, "RESOLVED", stepName(definition, saga.compensationStep()), "by operator");
			compensate(definition, saga, saga.compensationStep() - 1, saga.reason());
		});
	}

	private Optional<SagaInstance> attended(String id, java.util.function.BiConsumer<SagaDefinition<?>, Row> action) {
		Optional<Row> found = store.lock(id);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Row saga = found.get();
		if (saga.state() != SagaState.NEEDS_ATTENTION) {
			throw new io.orderly.platform.web.ProblemException(org.springframework.http.HttpStatus.CONFLICT,
					"saga-not-waiting", "Saga not waiting for an operator",
					"Saga " + id + " is " + saga.state() + ", not NEEDS_ATTENTION.");
		}
		store.recording(() -> action.accept(definition(saga), saga));
		return find(id);
	}

	@Transactional(readOnly = true)
	public Optional<SagaInstance> find(String id) {
		return store.find(id).map(this::instance);
	}

	/** Sagas in {@code state}, by id, after {@code after} if given. */
	@Transactional(readOnly = true)
	public List<SagaInstance> list(SagaState state, String after, int limit) {
		return store.list(state, after, limit).stream().map(this::instance).toList();
	}

	@Transactional(readOnly = true)
	public List<SagaHistoryEntry> history(String id) {
		return store.history(id);
	}

	/** The history entries of saga {@code id} after entry {@code afterId} (0: all), each with its id, in order. */
	public List<NumberedHistoryEntry> historyAfter(String id, long afterId) {
		return store.historyAfter(id, afterId);
	}

	private SagaInstance instance(SagaStore.ResultSetView view) {
		Row row = view.row();
		SagaDefinition<?> definition = definitions.get(row.definition());
		String step = definition == null ? Integer.toString(row.step()) : stepName(definition, row.step());
		String compensating = row.compensationStep() == null ? null
				: definition == null ? row.compensationStep().toString() : stepName(definition, row.compensationStep());
		return new SagaInstance(row.id(), row.definition(), row.state(), step, compensating, row.data(), row.reason(),
				row.attempts(), view.deadlineAt(), view.lastError(), view.createdAt(), view.updatedAt());
	}

	private static Row withAttempts(Row saga, int attempts) {
		return new Row(saga.id(), saga.definition(), saga.state(), saga.step(), saga.compensationStep(), saga.data(),
				saga.reason(), attempts);
	}

	private void advance(SagaDefinition<?> definition, Row saga, Object data, boolean dataChanged) {
		int next = saga.step() + 1;
		if (next == definition.steps().size()) {
			store.update(new Row(saga.id(), saga.definition(), SagaState.COMPLETED, saga.step(), null, saga.data(), null,
					0), dataChanged, null, null);
			store.history(saga.id(), "COMPLETED", null, null);
			completed(definition, saga.id(), data);
			count("completed", definition);
			return;
		}
		SagaDefinition.Step step = definition.steps().get(next);
		store.update(new Row(saga.id(), saga.definition(), SagaState.RUNNING, next, null, saga.data(), null, 0),
				dataChanged, clock.instant().plus(step.deadline()), null);
		send(saga.id(), step.name(), step.command().apply(data), "COMMAND");
	}

	/** Compensates the steps at or before {@code from}, newest first, or finishes if none is left. */
	private void compensate(SagaDefinition<?> definition, Row saga, int from, String reason) {
		int step = definition.compensableAtOrBefore(from);
		Object data = codec.read(saga.data(), definition.dataType());
		if (step < 0) {
			store.update(new Row(saga.id(), saga.definition(), SagaState.COMPENSATED, saga.step(), null, saga.data(),
					reason, 0), null, null);
			store.history(saga.id(), "COMPENSATED", null, reason);
			compensated(definition, saga.id(), data, reason);
			count("compensated", definition);
			return;
		}
		sendCompensation(definition, new Row(saga.id(), saga.definition(), SagaState.COMPENSATING, saga.step(), step,
				saga.data(), reason, 0), data);
	}

	private void sendCompensation(SagaDefinition<?> definition, Row saga, Object data) {
		SagaDefinition.Step step = definition.steps().get(saga.compensationStep());
		Row sent = new Row(saga.id(), saga.definition(), SagaState.COMPENSATING, saga.step(), saga.compensationStep(),
				saga.data(), saga.reason(), saga.attempts() + 1);
		store.update(sent, clock.instant().plus(step.deadline()), null);
		send(saga.id(), step.name(), step.compensation().apply(data), "COMPENSATION");
	}

	private void send(String sagaId, String step, Object command, String kind) {
		outbox.publish(sagaId, command);
		store.history(sagaId, kind, step, codec.typeOf(command.getClass()));
	}

	@SuppressWarnings("unchecked")
	private static <D> void completed(SagaDefinition<D> definition, String id, Object data) {
		definition.onCompleted().completed(id, (D) data);
	}

	@SuppressWarnings("unchecked")
	private static <D> void cancellationRefused(SagaDefinition<D> definition, String id, Object data, String reason) {
		definition.onCancellationRefused().refused(id, (D) data, reason);
	}

	@SuppressWarnings("unchecked")
	private static <D> void compensated(SagaDefinition<D> definition, String id, Object data, String reason) {
		definition.onCompensated().compensated(id, (D) data, reason);
	}

	private Row withData(Row saga, Object data) {
		return new Row(saga.id(), saga.definition(), saga.state(), saga.step(), saga.compensationStep(),
				codec.write(data), saga.reason(), saga.attempts());
	}

	private SagaDefinition<?> definition(Row saga) {
		SagaDefinition<?> definition = definitions.get(saga.definition());
		if (definition == null) {
			throw new IllegalStateException("Saga " + saga.id() + " is a " + saga.definition() + ", not run here");
		}
		return definition;
	}

	private static String stepName(SagaDefinition<?> definition, int step) {
		return step >= 0 && step < definition.steps().size() ? definition.steps().get(step).name() : null;
	}

	private void count(String what, SagaDefinition<?> definition) {
		meters.counter("orderly.saga." + what, "saga", definition.name()).increment();
	}
}
