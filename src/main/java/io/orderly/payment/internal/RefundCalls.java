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
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.payment.PaymentStatus;
import io.orderly.payment.RefundIssued;
import io.orderly.payment.RefundPayment;
import io.orderly.payment.RefundRefused;
import io.orderly.payment.internal.Refunds.Refund;
import io.orderly.payment.internal.Refunds.Status;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Backoff;
import io.orderly.platform.messaging.Message;
import io.orderly.platform.messaging.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link RefundPayment}: gives back part of what was captured for an order, once, and never
 * more in total than was captured. The same three steps as {@link ProviderCalls}, one row per
 * refund ({@link Refunds}):
 * <ol>
 * <li>decided, in the command's transaction, under the payment's row lock: the amount must fit
 * in what was captured minus what is refunded and what other refunds of the order still wait
 * for ({@link RefundRefused#EXCEEDS_CAPTURED} otherwise); while the payment is being captured
 * or undone (a cancel) no refund is decided ({@link RefundRefused#PAYMENT_BUSY}). However many
 * refunds of one order arrive at once, they are decided one after the other;</li>
 * <li>made once that commits, with no connection held, with the refund's own key
 * ({@link IdempotencyKeys#refundOf}): made again after a lost answer, a crash or an outage, it
 * is answered, not done twice;</li>
 * <li>answered in a second transaction, by the attempt that holds the call: the provider's
 * refunded total is taken on (the ledger books what it did not know of), and
 * {@link RefundIssued} or {@link RefundRefused} published.</li>
 * </ol>
 * A call without an answer (the provider down, a timeout, an error of ours) stays pending and is
 * made again with backoff by {@link #retryDue}, as is one whose process died (its lease passes):
 * a refund waits for the provider and happens once when it is back; the pending count is a
 * metric ({@code orderly.payment.refunds.pending}). For no longer than
 * {@code orderly.payment.refund-retry-limit} (20 h) after it was decided, which must stay below
 * the time the provider keeps idempotency keys (24 h for the simulator): past it the key could
 * be forgotten, and a refund done with its answer lost would be done again. Such a refund is
 * marked UNANSWERED, logged and counted ({@code orderly.payment.refunds.unanswered}), and waits
 * for an operator to look it up at the provider; the order keeps it as requested.
 */
@Component
@ConditionalOnModule("payment")
class RefundCalls implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RefundCalls.class);

	/** How an attempt ended. */
	enum Outcome {
		ANSWERED, UNANSWERED, PROVIDER_AWAY, GONE, FAILED, GAVE_UP
	}

	/** What the provider said to one attempt. */
	private sealed interface Said {
	}

	private record Done(ProviderAuthorization at) implements Said {
	}

	private record Refused(String code) implements Said {
	}

	private record NoAnswer(ProviderUnavailable why) implements Said {
	}

	private final Refunds refunds;

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final ProviderCallStore calls;

	private final PaymentProvider provider;

	private final Outbox outbox;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final PaymentProperties properties;

	private final Backoff backoff;

	private final MeterRegistry meters;

	private final Duration retryLimit;

	private final RoundBudget budget;

	private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

	RefundCalls(Refunds refunds, Payments payments, PaymentRecorder recorder, ProviderCallStore calls,
			PaymentProvider provider, Outbox outbox, TransactionTemplate transactions, Clock clock,
			PaymentProperties properties, MeterRegistry meters,
			@Value("${orderly.payment.refund-retry-limit:20h}") Duration retryLimit) {
		this.retryLimit = retryLimit;
		this.budget = new RoundBudget(properties.pending().batch());
		this.refunds = refunds;
		this.payments = payments;
		this.recorder = recorder;
		this.calls = calls;
		this.provider = provider;
		this.outbox = outbox;
		this.transactions = transactions;
		this.clock = clock;
		this.properties = properties;
		this.backoff = new Backoff(properties.pending().backoffBase(), properties.pending().backoffMax());
		this.meters = meters;
		Gauge.builder("orderly.payment.refunds.pending", refunds, Refunds::countPending)
			.description("Refunds decided and not answered by the provider yet (in flight, or waiting for it)")
			.register(meters);
		Gauge.builder("orderly.payment.refunds.unanswered", refunds, Refunds::countUnanswered)
			.description("Refunds the provider did not answer within the retry limit: an operator looks them up")
			.register(meters);
	}

	/** Step 1, in the command's transaction. A refund known already is answered as it stands (or later, if it waits). */
	void on(RefundPayment command, Message message) {
		String orderId = command.orderId();
		// The payment first, as every writer of both does: a refund's status does not move while it is held.
		Optional<Payment> found = payments.lock(orderId);
		Optional<Refund> known = refunds.find(command.refundId());
		if (known.isPresent()) {
			answerAgain(known.get());
			return;
		}
		Instant now = clock.instant();
		if (found.isEmpty() || found.get().pspAuthorizationId() == null
				|| !(found.get().status() == PaymentStatus.CAPTURED || found.get().status() == PaymentStatus.REFUNDED)) {
			refuse(command, found.map(Payment::currency).orElse(null), RefundRefused.NOT_CAPTURED, now, found.isPresent());
			return;
		}
		Payment payment = found.get();
		if (calls.exists(orderId)) {
			refuse(command, payment.currency(), RefundRefused.PAYMENT_BUSY, now, true);
			return;
		}
		long available = payment.capturedMinor() - payment.refundedMinor() - refunds.pendingMinor(orderId);
		if (command.amountMinor() <= 0 || command.amountMinor() > available) {
			log.info("Refund {} of order {} for {} refused: {} left to refund", command.refundId(), orderId,
					command.amountMinor(), available);
			refuse(command, payment.currency(), RefundRefused.EXCEEDS_CAPTURED, now, true);
			return;
		}
		UUID attempt = UUID.randomUUID();
		Refund refund = new Refund(command.refundId(), orderId, command.amountMinor(), payment.currency(),
				command.reason(), Status.PENDING, null, attempt, 1, 0, 1, now.plus(properties.pending().lease()), now, now);
		refunds.insert(refund);
		String authorization = payment.pspAuthorizationId();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				try {
					submit(refund, attempt, authorization);
				}
				catch (RejectedExecutionException stopping) {
					log.info("Refund {} not made now (stopping): made again once its lease has passed", refund.id());
				}
			}
		});
	}

	private void refuse(RefundPayment command, String currency, String reason, Instant now, boolean record) {
		if (record) {
			refunds.insert(new Refund(command.refundId(), command.orderId(), Math.max(command.amountMinor(), 1),
					currency, command.reason(), Status.REFUSED, reason, null, 0, 0, 1, null, now, now));
		}
		outbox.publish(command.orderId(), new RefundRefused(command.orderId(), command.refundId(), reason));
	}

	private void answerAgain(Refund refund) {
		switch (refund.status()) {
			case SUCCEEDED -> outbox.publish(refund.orderId(),
					new RefundIssued(refund.orderId(), refund.id(), refund.amountMinor(), refund.currency()));
			case REFUSED -> outbox.publish(refund.orderId(),
					new RefundRefused(refund.orderId(), refund.id(), refund.refusedReason()));
			case PENDING -> refunds.join(refund.id());
			case UNANSWERED -> {
				// Not answered: an operator looks the refund up at the provider.
			}
		}
	}

	@Scheduled(fixedDelayString = "${orderly.payment.pending.interval:1s}",
			initialDelayString = "${orderly.payment.pending.interval:1s}")
	void scheduled() {
		retryDue();
	}

	/**
	 * One round over the due refunds, as many as the {@link RoundBudget} allows (it ramps up as
	 * the provider's calls do).
	 *
	 * @return how many the provider answered
	 */
	int retryDue() {
		int allowed = budget.allowed();
		List<Future<Outcome>> made = new ArrayList<>();
		for (String id : refunds.due(clock.instant(), allowed)) {
			Refund claimed = transactions.execute(status -> claim(id));
			if (claimed != null) {
				String authorization = payments.find(claimed.orderId()).orElseThrow().pspAuthorizationId();
				made.add(submit(claimed, claimed.attempt(), authorization));
			}
		}
		int answered = 0;
		int unanswered = 0;
		boolean away = false;
		for (Future<Outcome> future : made) {
			switch (Attempts.outcomeOf(future, Outcome.FAILED)) {
				case PROVIDER_AWAY -> away = true;
				case UNANSWERED, FAILED -> unanswered++;
				default -> answered++;
			}
		}
		budget.afterRound(allowed, answered, unanswered, away);
		return answered;
	}

	/** Takes a due refund for one more attempt, whose lease starts now; null if someone else has it. */
	private Refund claim(String id) {
		Instant now = clock.instant();
		Optional<Refund> due = refunds.lockIfDue(id, now);
		if (due.isEmpty()) {
			return null;
		}
		UUID attempt = UUID.randomUUID();
		Instant lease = now.plus(properties.pending().lease());
		refunds.take(id, attempt, lease, now);
		Refund r = due.get();
		return new Refund(r.id(), r.orderId(), r.amountMinor(), r.currency(), r.reason(), r.status(), null, attempt,
				r.attempts() + 1, r.failures(), r.commands(), lease, r.createdAt(), now);
	}

	private Future<Outcome> submit(Refund refund, UUID attempt, String authorization) {
		return callers.submit(() -> {
			Outcome outcome = make(refund, attempt, authorization);
			meters.counter("orderly.payment.provider.calls", "operation", "refund", "outcome",
					outcome.name().toLowerCase()).increment();
			return outcome;
		});
	}

	/** Step 2 (no connection held) and step 3 (a transaction). */
	private Outcome make(Refund refund, UUID attempt, String authorization) {
		try {
			Said said;
			try {
				said = new Done(provider.refund(IdempotencyKeys.refundOf(refund.id()), authorization, refund.amountMinor()));
			}
			catch (ProviderRefused refused) {
				said = new Refused(refused.code());
			}
			catch (ProviderUnavailable unavailable) {
				said = new NoAnswer(unavailable);
			}
			Said answer = said;
			return transactions.execute(status -> record(refund, attempt, answer));
		}
		catch (RuntimeException ex) {
			log.error("Refund {} of order {} ended in an error of ours: made again later", refund.id(), refund.orderId(), ex);
			try {
				transactions.executeWithoutResult(status -> {
					Instant now = clock.instant();
					if (refunds.lockHeld(refund.id(), attempt).isPresent()) {
						if (!now.isBefore(refund.createdAt().plus(retryLimit))) {
							refunds.end(refund.id(), Status.UNANSWERED, "errors of ours for " + retryLimit + ": " + ex, now);
						}
						else {
							refunds.later(refund.id(), now.plus(backoff.afterAttempt(refund.failures() + 1)), true, now);
						}
					}
				});
			}
			catch (RuntimeException notEvenThat) {
				log.error("Refund {}: the error could not be recorded; made again once its lease has passed", refund.id(),
						notEvenThat);
			}
			return Outcome.FAILED;
		}
	}

	private Outcome record(Refund refund, UUID attempt, Said said) {
		Instant now = clock.instant();
		String orderId = refund.orderId();
		// The payment first, as every writer of both does.
		Payment payment = payments.lock(orderId).orElseThrow();
		Optional<Refund> held = refunds.lockHeld(refund.id(), attempt);
		if (held.isEmpty()) {
			log.info("Refund {} of order {} answered after a later attempt took it: not recorded", refund.id(), orderId);
			return Outcome.GONE;
		}
		int commands = held.get().commands();
		switch (said) {
			case Done done -> {
				// Answers of two refunds may arrive out of order: an older total teaches nothing.
				if (done.at().refundedMinor() > payment.refundedMinor()) {
					recorder.record(payment, done.at());
				}
				refunds.end(refund.id(), Status.SUCCEEDED, null, now);
				publish(orderId, new RefundIssued(orderId, refund.id(), refund.amountMinor(), refund.currency()), commands);
				if (refund.attempts() > 1) {
					log.info("Refund {} of order {} done after {} attempts", refund.id(), orderId, refund.attempts());
				}
				return Outcome.ANSWERED;
			}
			case Refused refused -> {
				log.warn("The provider refused refund {} of order {}: {}", refund.id(), orderId, refused.code());
				refunds.end(refund.id(), Status.REFUSED, refused.code(), now);
				publish(orderId, new RefundRefused(orderId, refund.id(), refused.code()), commands);
				return Outcome.ANSWERED;
			}
			case NoAnswer none -> {
				if (!now.isBefore(refund.createdAt().plus(retryLimit))) {
					refunds.end(refund.id(), Status.UNANSWERED, "no answer from the provider within " + retryLimit
							+ ": look it up there (key " + IdempotencyKeys.refundOf(refund.id()) + ") before asking again", now);
					log.error("Refund {} of order {} has had no answer from the provider for {}: not asked again (its key may be "
							+ "forgotten); an operator looks it up at the provider", refund.id(), orderId, retryLimit);
					return Outcome.GAVE_UP;
				}
				boolean elsewhere = none.why().failure() == ProviderUnavailable.Failure.KEY_IN_USE;
				Instant next = now.plus(elsewhere ? properties.pending().backoffBase() : backoff.afterAttempt(refund.attempts()));
				refunds.later(refund.id(), next, false, now);
				if (refund.attempts() == 1) {
					log.warn("No answer from the provider to refund {} of order {} ({}); the refund waits", refund.id(),
							orderId, none.why().getMessage());
				}
				return none.why().failure().providerAway() ? Outcome.PROVIDER_AWAY : Outcome.UNANSWERED;
			}
		}
	}

	/** The answer, once to each command that waits for it. */
	private void publish(String orderId, Object answer, int commands) {
		for (int i = 0; i < commands; i++) {
			outbox.publish(orderId, answer);
		}
	}


	/** Calls in flight get a few seconds; any left are made again once their lease has passed. */
	@Override
	public void destroy() throws InterruptedException {
		callers.shutdown();
		if (!callers.awaitTermination(10, TimeUnit.SECONDS)) {
			log.warn("Refunds still in flight at shutdown: made again once their lease has passed");
		}
	}
}
