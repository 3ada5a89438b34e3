package io.orderly.payment.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.payment.PaymentAuthorized;
import io.orderly.payment.PaymentCancellationFailed;
import io.orderly.payment.PaymentCaptureFailed;
import io.orderly.payment.PaymentDeclined;
import io.orderly.payment.PaymentPending;
import io.orderly.payment.PaymentStatus;
import io.orderly.payment.PaymentVoided;
import io.orderly.payment.internal.ProviderCallStore.Operation;
import io.orderly.payment.internal.ProviderCallStore.ProviderCall;
import io.orderly.payment.internal.ProviderSteps.Answered;
import io.orderly.payment.internal.ProviderSteps.NothingThere;
import io.orderly.payment.internal.ProviderSteps.Refused;
import io.orderly.payment.internal.ProviderSteps.Result;
import io.orderly.payment.internal.ProviderSteps.Unanswered;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Backoff;
import io.orderly.platform.messaging.FaultInjection;
import io.orderly.platform.messaging.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one place that makes the payment commands' provider calls and decides what happens when
 * their outcome is unknown. A call goes through three steps, and a process may die between any
 * two of them:
 * <ol>
 * <li>decided: a command handler writes the call ({@link ProviderCallStore}) in its own
 * transaction, beside the payment's new state, as a first attempt with an id and a lease
 * ({@code next_attempt_at} = now + {@code orderly.payment.pending.lease});</li>
 * <li>made, once that commits, on a virtual thread, with no database connection held
 * ({@link ProviderSteps}), at most three quarters of {@code orderly.payment.psp.max-concurrent-calls}
 * at once (the rest of the provider's bulkhead is left to the watch, reconciliation and webhooks).
 * An attempt that had to wait for its turn starts its lease again when it gets it, or is not
 * made at all if it no longer holds the call (cancelled or overtaken meanwhile);</li>
 * <li>answered: in a second transaction, the payment and the call are locked, and if the
 * attempt still holds the call and the payment did not move, the answer is recorded, the call
 * deleted, and the reply published to every command that waits for it.</li>
 * </ol>
 * A call whose lease passed without an answer (its process died, or the attempt is slow) is taken
 * by a new attempt, with the same idempotency key, by {@link #retryDue}, which also makes the
 * calls that are waiting for the provider to come back. From then on the old attempt's answer,
 * whatever it says, decides nothing: one attempt at a time decides a call. An attempt told that
 * the key's first request is still running ({@code idempotency_key_in_use}: the old attempt is
 * being answered) is asked again shortly, and never given up on that account.
 *
 * <p>An attempt that ends in an error of ours (not the provider's: a bug, the database away while
 * the answer is recorded) is counted, logged and made again with backoff; after
 * {@code orderly.payment.pending.max-failures} of them the call is given up as unanswered, as
 * below, so no call is retried forever and no payment stays hidden from the watch.
 *
 * <p>What happens to a call without a usable answer (after the provider client's own retries
 * and a lookup by reference):
 * <ul>
 * <li>authorize: the payment stays {@code AUTHORIZATION_PENDING}, the saga is told
 * {@link PaymentPending} once, and the call is made again with backoff until
 * {@code orderly.payment.pending.max-wait} has passed; then the saga is told
 * {@code payment_unavailable} and the payment ({@code AUTHORIZATION_UNKNOWN}) is watched
 * ({@link PaymentWatch}). With no wait configured, that happens after the first attempt;</li>
 * <li>capture: never guessed; made again until the provider answers or the wait (without one:
 * the watch's duration) has passed, then failed with {@code payment_unavailable};</li>
 * <li>reverse (a cancelled order's void or refund): answered
 * {@link PaymentCancellationFailed} at once, and the saga asks again.</li>
 * </ul>
 * Recovery ramps up: a round of {@link #retryDue} makes at most {@code budget} due calls,
 * starting at one; a full round in which the provider answered most calls doubles it (up to
 * {@code orderly.payment.pending.batch}), one in which it answered no more than it failed halves
 * it, and it falls back to one when the provider could not be reached at all. A provider that has
 * just come back is not met by the whole backlog at once. Calls made at once after their command
 * (the ordinary path) do not wait for the budget.
 */
@Component
@ConditionalOnModule("payment")
class ProviderCalls implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ProviderCalls.class);

	enum Outcome {
		ANSWERED, GAVE_UP,
		/** The attempt no longer held the call (answered, cancelled, overtaken), or the payment moved: nothing recorded. */
		GONE,
		/** Not made: the attempt was overtaken while it waited for its turn, or the process is stopping. */
		NOT_MADE,
		/** No usable answer for this call; the provider answers others. */
		UNANSWERED,
		/** The provider could not be reached at all (refused connection, breaker open). */
		PROVIDER_AWAY,
		/** An error of ours: the call is made again after a backoff (or once its lease has passed). */
		FAILED
	}

	private record Claimed(ProviderCall call, Payment payment) {
	}

	/** An attempt's call and its payment, locked, while the attempt still holds the call. */
	private record Held(ProviderCall call, Payment payment) {
	}

	private final ProviderCallStore store;

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final ProviderSteps steps;

	private final Outbox outbox;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final PaymentProperties properties;

	private final Backoff backoff;

	private final MeterRegistry meters;

	private final FaultInjection faults;

	private final RoundBudget budget;

	private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

	private final Semaphore turns;

	private volatile boolean stopping;

	ProviderCalls(ProviderCallStore store, Payments payments, PaymentRecorder recorder, ProviderSteps steps,
			Outbox outbox, TransactionTemplate transactions, Clock clock, PaymentProperties properties,
			MeterRegistry meters, FaultInjection faults) {
		this.store = store;
		this.payments = payments;
		this.recorder = recorder;
		this.steps = steps;
		this.outbox = outbox;
		this.transactions = transactions;
		this.clock = clock;
		this.properties = properties;
		this.backoff = new Backoff(properties.pending().backoffBase(), properties.pending().backoffMax());
		this.meters = meters;
		this.faults = faults;
		// A quarter of the provider's bulkhead is left to the watch, reconciliation and webhooks.
		int calls = properties.psp().maxConcurrentCalls();
		this.turns = new Semaphore(Math.max(1, calls - calls / 4));
		Gauge.builder("orderly.payment.pending", store, ProviderCallStore::count)
			.description("Provider calls decided and not answered yet (in flight, or waiting for the provider)")
			.register(meters);
		this.budget = new RoundBudget(properties.pending().batch());
		Gauge.builder("orderly.payment.pending.budget", budget, RoundBudget::allowed)
			.description("Waiting provider calls made again per round (ramps up after an outage)")
			.register(meters);
	}

	/** In the caller's transaction: the authorization of a new {@code AUTHORIZATION_PENDING} payment. */
	void authorize(Payment payment, String token) {
		Instant now = clock.instant();
		start(payment, Operation.AUTHORIZE, token, now.plus(properties.pending().maxWait()), now);
	}

	/** In the caller's transaction: the capture of an authorized payment; false if the order's payment is being undone. */
	boolean capture(Payment payment) {
		Optional<ProviderCall> current = store.lock(payment.orderId());
		if (current.isPresent() && current.get().operation() == Operation.REVERSE) {
			return false;
		}
		Instant now = clock.instant();
		Duration wait = properties.pending().enabled() ? properties.pending().maxWait() : properties.watch().duration();
		start(payment, Operation.CAPTURE, null, now.plus(wait), now);
		return true;
	}

	/** In the caller's transaction: undo what the provider holds for the payment; it overtakes a capture. */
	void reverse(Payment payment) {
		Instant now = clock.instant();
		start(payment, Operation.REVERSE, null, now, now);
	}

	/** In the caller's transaction: a command repeated while its call is made is answered with the call; false if none. */
	boolean join(String orderId, Operation operation) {
		return store.join(orderId, operation);
	}

	/** In the caller's transaction: the order's call is not made any more, nor its answer recorded. */
	void drop(String orderId) {
		store.remove(orderId);
	}

	private void start(Payment payment, Operation operation, String token, Instant until, Instant now) {
		ProviderCall call = new ProviderCall(payment.orderId(), operation, token, until,
				now.plus(properties.pending().lease()), 1, 1, UUID.randomUUID(), 0, false);
		store.put(call, now);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				try {
					submit(call, payment);
				}
				catch (RejectedExecutionException stopping) {
					log.info("{} of order {} not made now (stopping): made again once its lease has passed",
							call.operation(), call.orderId());
				}
			}
		});
	}

	@Scheduled(fixedDelayString = "${orderly.payment.pending.interval:1s}",
			initialDelayString = "${orderly.payment.pending.interval:1s}")
	void scheduled() {
		retryDue();
	}

	/** One round over the due calls (waiting ones, and those whose process died); returns how many the provider answered. */
	int retryDue() {
		int allowed = budget.allowed();
		List<Future<Outcome>> made = new ArrayList<>();
		for (String orderId : store.due(clock.instant(), allowed)) {
			Claimed claimed = transactions.execute(status -> claim(orderId));
			if (claimed != null) {
				made.add(submit(claimed.call(), claimed.payment()));
			}
		}
		int answered = 0;
		int unanswered = 0;
		boolean away = false;
		for (Future<Outcome> future : made) {
			Outcome outcome = Attempts.outcomeOf(future, Outcome.FAILED);
			switch (outcome) {
				case PROVIDER_AWAY -> away = true;
				case UNANSWERED, FAILED -> unanswered++;
				case NOT_MADE -> {
				}
				default -> answered++;
			}
		}
		budget.afterRound(allowed, answered, unanswered, away);
		return answered;
	}

	/** Takes a due call for one more attempt: its lease starts now. */
	private Claimed claim(String orderId) {
		Instant now = clock.instant();
		Optional<ProviderCall> due = store.lockIfDue(orderId, now);
		if (due.isEmpty()) {
			return null;
		}
		ProviderCall call = due.get();
		Payment payment = payments.find(orderId).orElseThrow();
		if (call.operation() == Operation.AUTHORIZE && payment.status() != PaymentStatus.AUTHORIZATION_PENDING) {
			// Only a payment waiting for its authorization is authorized.
			store.remove(orderId);
			return null;
		}
		ProviderCall attempt = call.nextAttempt(UUID.randomUUID(), now.plus(properties.pending().lease()));
		store.take(attempt);
		return new Claimed(attempt, payment);
	}

	private Future<Outcome> submit(ProviderCall call, Payment payment) {
		return callers.submit(() -> make(call, payment));
	}

	private Outcome make(ProviderCall call, Payment snapshot) {
		Outcome outcome = attempt(call, snapshot);
		meters.counter("orderly.payment.provider.calls", "operation", call.operation().name().toLowerCase(), "outcome",
				outcome.name().toLowerCase()).increment();
		return outcome;
	}

	private Outcome attempt(ProviderCall call, Payment snapshot) {
		try {
			Optional<Result> result = ask(call, snapshot);
			if (result.isEmpty()) {
				return Outcome.NOT_MADE;
			}
			faults.at(FaultInjection.PROVIDER_ANSWERED);
			return transactions.execute(status -> answer(call, snapshot, result.get()));
		}
		catch (RuntimeException ex) {
			return failed(call, snapshot, ex);
		}
	}

	/**
	 * Step 2, no connection held: asks the provider, once the attempt has its turn; empty if it is
	 * not made. Also when the call has waited its longest: the last attempt is made then (the
	 * backoff never goes past it), or the call's process died.
	 */
	private Optional<Result> ask(ProviderCall call, Payment payment) {
		boolean waited = !turns.tryAcquire();
		if (waited) {
			turns.acquireUninterruptibly();
		}
		try {
			// Its lease ran while it waited: it starts again now, if the attempt still holds the call.
			if (stopping || waited && !store.renew(call, clock.instant().plus(properties.pending().lease()))) {
				return Optional.empty();
			}
			return Optional.of(switch (call.operation()) {
				case AUTHORIZE -> steps.authorize(payment, call.paymentToken());
				case CAPTURE -> steps.capture(payment);
				case REVERSE -> steps.reverse(payment, false);
			});
		}
		finally {
			turns.release();
		}
	}

	/** Step 3, in a transaction: records the answer if the attempt still holds the call and the payment did not move. */
	private Outcome answer(ProviderCall call, Payment snapshot, Result result) {
		Instant now = clock.instant();
		String orderId = call.orderId();
		Optional<Held> held = lockHeld(call);
		if (held.isEmpty()) {
			log.info("{} of order {} answered after it was cancelled, answered or taken by a later attempt: not recorded",
					call.operation(), orderId);
			return Outcome.GONE;
		}
		Payment payment = held.get().payment();
		ProviderCall waiting = held.get().call();
		if (!payment.sameStateAs(snapshot)) {
			// Something recorded the provider's word meanwhile: the call is made again from there.
			store.schedule(orderId, now, false);
			return Outcome.GONE;
		}
		if (result instanceof Unanswered unanswered && unanswered.elsewhere()
				&& now.isBefore(waiting.pendingUntil().plus(properties.pending().lease()))) {
			// The key's first request (an overtaken attempt, or the watch) is being answered: ask again shortly.
			store.schedule(orderId, now.plus(properties.pending().backoffBase()), false);
			log.info("{} of order {}: the provider is still answering an earlier request with its key; asked again",
					call.operation(), orderId);
			return Outcome.UNANSWERED;
		}
		return decide(payment, waiting, result, now);
	}

	private Outcome decide(Payment payment, ProviderCall call, Result result, Instant now) {
		return switch (call.operation()) {
			case AUTHORIZE -> authorized(payment, call, result, now);
			case CAPTURE -> captured(payment, call, result, now);
			case REVERSE -> reversed(payment, call, result);
		};
	}

	/**
	 * The attempt ended in an error of ours (the provider's own failures are results): counted
	 * (in a transaction of its own, so a give-up that fails cannot undo the count) and made again
	 * after a backoff; the last allowed one gives the call up as unanswered. If the give-up fails
	 * too, the call is dropped: its commands are left to the saga's deadline and the payment to
	 * the commands that follow, so nothing is made forever. If even counting fails (the database
	 * is away), the call is made again once its lease has passed.
	 */
	private Outcome failed(ProviderCall call, Payment snapshot, RuntimeException error) {
		String orderId = call.orderId();
		log.error("{} of order {} ended in an error of ours", call.operation(), orderId, error);
		Integer failures;
		try {
			failures = transactions.execute(status -> countFailure(call, snapshot));
		}
		catch (RuntimeException ex) {
			log.error("{} of order {}: the error could not even be counted; made again after its lease",
					call.operation(), orderId, ex);
			return Outcome.FAILED;
		}
		if (failures == null) {
			return Outcome.GONE;
		}
		if (failures < properties.pending().maxFailures()) {
			return Outcome.FAILED;
		}
		try {
			return transactions.execute(status -> giveUp(call, snapshot, failures, error));
		}
		catch (RuntimeException ex) {
			log.error("{} of order {} could not be given up either: dropped, the saga's deadline takes over",
					call.operation(), orderId, ex);
			try {
				transactions.executeWithoutResult(status -> lockHeld(call).ifPresent(held -> store.remove(orderId)));
				return Outcome.GAVE_UP;
			}
			catch (RuntimeException dropFailed) {
				return Outcome.FAILED;
			}
		}
	}

	/**
	 * Counts one more error of the attempt's; the count, or null if the attempt no longer holds
	 * the call, or the payment moved meanwhile (then the call is made again at once from the
	 * payment as it is now, uncounted).
	 */
	private Integer countFailure(ProviderCall call, Payment snapshot) {
		Instant now = clock.instant();
		String orderId = call.orderId();
		Optional<Held> held = lockHeld(call);
		if (held.isEmpty()) {
			return null;
		}
		if (!held.get().payment().sameStateAs(snapshot)) {
			store.schedule(orderId, now, false);
			return null;
		}
		int failures = held.get().call().failures() + 1;
		store.failed(orderId, now.plus(backoff.afterAttempt(failures)));
		return failures;
	}

	/** The call failed on our side too often: given up as a call without an answer is, at once. */
	private Outcome giveUp(ProviderCall call, Payment snapshot, int failures, RuntimeException error) {
		Instant now = clock.instant();
		String orderId = call.orderId();
		Optional<Held> held = lockHeld(call).filter(h -> h.payment().sameStateAs(snapshot));
		if (held.isEmpty()) {
			return Outcome.GONE;
		}
		log.error("{} of order {} failed {} times on our side: given up as unanswered", call.operation(), orderId,
				failures);
		Unanswered unanswered = new Unanswered(failures + " errors of ours, the last: " + error, false, false, null);
		return decide(held.get().payment(), held.get().call().endingAt(now), unanswered, now);
	}

	/**
	 * In a transaction: the attempt's call and its payment, locked (the payment first, as every
	 * writer of both does), if the attempt still holds the call; only that attempt may decide it.
	 */
	private Optional<Held> lockHeld(ProviderCall attempt) {
		Payment payment = payments.lock(attempt.orderId()).orElseThrow();
		return store.lock(attempt.orderId())
			.filter(current -> attempt.attempt().equals(current.attempt()))
			.map(current -> new Held(current, payment));
	}

	private Outcome authorized(Payment payment, ProviderCall call, Result result, Instant now) {
		String orderId = payment.orderId();
		switch (result) {
			case Answered answered -> {
				Payment recorded = recorder.record(payment, answered.at());
				done(call, recorded.answeredDeclined() ? new PaymentDeclined(orderId, recorded.declineReason())
						: new PaymentAuthorized(orderId, recorded.paymentId(), recorded.amountMinor(), recorded.currency()));
				if (call.attempts() > 1) {
					log.info("Authorization of order {} answered after {} attempts: {}", orderId, call.attempts(),
							recorded.status());
				}
				return Outcome.ANSWERED;
			}
			case Refused refused -> {
				// Refused outright (not a decline): nothing was done, and asking again changes nothing.
				Payment declined = recorder.record(payment.refusedWhilePending(now));
				done(call, new PaymentDeclined(orderId, declined.declineReason()));
				return Outcome.ANSWERED;
			}
			case Unanswered unanswered -> {
				if (!now.isBefore(call.pendingUntil())) {
					recorder.record(payment.gaveUpWaiting(now, properties.watch().duration()));
					done(call, new PaymentDeclined(orderId, PaymentDeclined.UNAVAILABLE));
					log.warn("Authorization of order {} unknown ({}): answered {}, the provider is watched until it tells",
							orderId, unanswered.why(), PaymentDeclined.UNAVAILABLE);
					return Outcome.GAVE_UP;
				}
				boolean tell = !call.pendingTold();
				if (tell) {
					outbox.publish(orderId, new PaymentPending(orderId, call.pendingUntil()));
					log.warn("Authorization of order {} waits for the provider until {} ({})", orderId, call.pendingUntil(),
							unanswered.why());
				}
				return later(call, now, unanswered, tell);
			}
			case NothingThere nothing -> throw new IllegalStateException("An authorization is answered or not");
		}
	}

	private Outcome captured(Payment payment, ProviderCall call, Result result, Instant now) {
		String orderId = payment.orderId();
		switch (result) {
			case Answered answered -> {
				Payment recorded = recorder.record(payment, answered.at());
				if (recorded.status() == PaymentStatus.CAPTURED) {
					done(call, CapturePaymentHandler.captured(recorded));
				}
				else {
					log.warn("Capture of order {} failed: the provider's authorization is {}", orderId, recorded.status());
					done(call, new PaymentCaptureFailed(orderId, CapturePaymentHandler.failure(recorded.status())));
				}
				return Outcome.ANSWERED;
			}
			case Refused refused -> {
				done(call, new PaymentCaptureFailed(orderId, refused.code()));
				return Outcome.ANSWERED;
			}
			case Unanswered unanswered -> {
				if (!now.isBefore(call.pendingUntil())) {
					done(call, new PaymentCaptureFailed(orderId, PaymentDeclined.UNAVAILABLE));
					log.warn("Gave up waiting for the provider to capture order {}: {}", orderId, PaymentDeclined.UNAVAILABLE);
					return Outcome.GAVE_UP;
				}
				if (call.attempts() == 1) {
					log.warn("No answer from the provider to capture order {} ({}); the capture waits", orderId,
							unanswered.why());
				}
				return later(call, now, unanswered, false);
			}
			case NothingThere nothing -> throw new IllegalStateException("A capture is answered or not");
		}
	}

	private Outcome reversed(Payment payment, ProviderCall call, Result result) {
		String orderId = payment.orderId();
		ProviderAuthorization learned = switch (result) {
			case Answered answered -> answered.at();
			case Refused refused -> refused.learned();
			case Unanswered unanswered -> unanswered.learned();
			case NothingThere nothing -> null;
		};
		// What was learned is kept, even when the reversal did not finish.
		Payment recorded = learned == null ? payment : recorder.record(payment, learned);
		switch (result) {
			case Answered answered -> done(call, CancelPaymentHandler.answer(recorded));
			case NothingThere nothing -> done(call, new PaymentVoided(orderId, null));
			case Refused refused -> done(call, new PaymentCancellationFailed(orderId, refused.code()));
			case Unanswered unanswered -> {
				log.warn("Could not cancel the payment of order {} now: {}", orderId, unanswered.why());
				done(call, new PaymentCancellationFailed(orderId, PaymentDeclined.UNAVAILABLE));
				return unanswered.providerAway() ? Outcome.PROVIDER_AWAY : Outcome.UNANSWERED;
			}
		}
		return Outcome.ANSWERED;
	}

	/** No answer yet: the call is made again after a backoff, and never after its longest wait. */
	private Outcome later(ProviderCall call, Instant now, Unanswered unanswered, boolean told) {
		Instant next = now.plus(backoff.afterAttempt(call.attempts()));
		if (next.isAfter(call.pendingUntil())) {
			next = call.pendingUntil();
		}
		store.schedule(call.orderId(), next, told);
		log.debug("{} of order {}: still no answer ({}); again at {}", call.operation(), call.orderId(), unanswered.why(),
				next);
		return unanswered.providerAway() ? Outcome.PROVIDER_AWAY : Outcome.UNANSWERED;
	}

	/** The call is done: deleted, and its answer published to each command that waits for it. */
	private void done(ProviderCall call, Object answer) {
		store.remove(call.orderId());
		for (int i = 0; i < call.commands(); i++) {
			outbox.publish(call.orderId(), answer);
		}
	}


	/**
	 * Calls in flight get a few seconds to be answered and recorded; they are not interrupted (an
	 * interrupted call has no answer, and would be taken for a provider that did not answer).
	 * Those still waiting for their turn are not made. Both are made again once their lease has passed.
	 */
	@Override
	public void destroy() throws InterruptedException {
		stopping = true;
		callers.shutdown();
		if (!callers.awaitTermination(10, TimeUnit.SECONDS)) {
			log.warn("Provider calls still in flight at shutdown: made again once their lease has passed");
		}
	}
}
