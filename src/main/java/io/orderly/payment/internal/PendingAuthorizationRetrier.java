package io.orderly.payment.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.payment.PaymentAuthorized;
import io.orderly.payment.PaymentCaptureFailed;
import io.orderly.payment.PaymentDeclined;
import io.orderly.payment.PaymentStatus;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Backoff;
import io.orderly.platform.messaging.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Asks the provider again for the authorizations that wait for it ({@code AUTHORIZATION_PENDING}),
 * and for the captures that do,
 * with the same idempotency key, so an authorization the provider did but could not tell us
 * about is answered, not done twice. The answer goes to the saga, which resumes.
 *
 * <p>Recovery ramps up: a round asks at most {@code budget} waiting calls, starting at one; a
 * full round in which the provider answered most calls doubles it (up to
 * {@code orderly.payment.pending.batch}), one in which it answered no more than it failed
 * halves it, and a round stops, and the budget falls back to one, as soon as the provider
 * cannot be reached at all (connection refused, breaker open). A provider that has just come
 * back (and the breaker's few half-open probes) is not met by the whole backlog at once, and a
 * provider that fails now and then does not hold the backlog back.
 *
 * <p>Past its {@code pending_until}, an authorization is given up: the saga is told
 * {@code payment_unavailable}, and the payment is watched ({@link PaymentWatch}) in case an
 * attempt did authorize. One authorization per transaction, locked with {@code skip locked}, so
 * several instances share the work.
 */
@Component
@ConditionalOnModule("payment")
class PendingAuthorizationRetrier {

	private static final Logger log = LoggerFactory.getLogger(PendingAuthorizationRetrier.class);

	private final Payments payments;

	private final PendingAuthorizations pending;

	private final PaymentRecorder recorder;

	private final PaymentProvider provider;

	private final Outbox outbox;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final PaymentProperties properties;

	private final Backoff backoff;

	private final MeterRegistry meters;

	private final AtomicInteger budget = new AtomicInteger(1);

	private final CapturePaymentHandler captureHandler;

	PendingAuthorizationRetrier(Payments payments, PendingAuthorizations pending, PaymentRecorder recorder,
			PaymentProvider provider, Outbox outbox, TransactionTemplate transactions, Clock clock,
			PaymentProperties properties, MeterRegistry meters, CapturePaymentHandler captureHandler) {
		this.captureHandler = captureHandler;
		this.payments = payments;
		this.pending = pending;
		this.recorder = recorder;
		this.provider = provider;
		this.outbox = outbox;
		this.transactions = transactions;
		this.clock = clock;
		this.properties = properties;
		this.backoff = new Backoff(properties.pending().backoffBase(), properties.pending().backoffMax());
		this.meters = meters;
		Gauge.builder("orderly.payment.pending", pending, PendingAuthorizations::count)
			.description("Authorizations waiting for the payment provider")
			.register(meters);
		Gauge.builder("orderly.payment.pending.budget", budget, AtomicInteger::get)
			.description("Waiting authorizations asked again per round (ramps up after an outage)")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${orderly.payment.pending.interval:1s}",
			initialDelayString = "${orderly.payment.pending.interval:1s}")
	void scheduled() {
		retryDue();
	}

	/** One round; returns how many authorizations the provider answered in it. */
	int retryDue() {
		int allowed = budget.get();
		int answered = 0;
		int unanswered = 0;
		for (String orderId : pending.due(clock.instant(), allowed)) {
			Outcome outcome;
			try {
				outcome = transactions.execute(status -> retry(orderId));
			}
			catch (RuntimeException ex) {
				log.error("Waiting call of order {} failed; looking again later", orderId, ex);
				transactions.executeWithoutResult(status -> postpone(orderId));
				continue;
			}
			count(outcome);
			if (outcome == Outcome.PROVIDER_AWAY) {
				// Down, or the breaker is open: the rest would fail the same way. Probe with one.
				budget.set(1);
				return answered;
			}
			if (outcome == Outcome.UNANSWERED) {
				unanswered++;
			}
			else {
				answered++;
			}
		}
		// Additive-increase would be too slow after a long outage: the budget doubles while the
		// provider answers most calls, and halves when it does not.
		if (answered + unanswered >= allowed && answered > unanswered) {
			budget.set(Math.min(allowed * 2, properties.pending().batch()));
		}
		else if (unanswered >= answered && unanswered > 0) {
			budget.set(Math.max(1, allowed / 2));
		}
		return answered;
	}

	enum Outcome {
		ANSWERED, GAVE_UP, GONE,
		/** No usable answer for this call (a timeout, an error); the provider answers others. */
		UNANSWERED,
		/** The provider cannot be reached at all (refused connection, breaker open, bulkhead full). */
		PROVIDER_AWAY
	}

	private Outcome retry(String orderId) {
		Instant now = clock.instant();
		Optional<PendingAuthorizations.Pending> due = pending.lockIfDue(orderId, now);
		if (due.isEmpty()) {
			return Outcome.GONE;
		}
		Payment payment = payments.lock(orderId).orElseThrow();
		PendingAuthorizations.Pending waiting = due.get();
		if (waiting.operation() == PendingAuthorizations.Operation.CAPTURE) {
			return retryCapture(payment, waiting, now);
		}
		if (payment.status() != PaymentStatus.AUTHORIZATION_PENDING) {
			// Cancelled meanwhile: nothing is asked any more.
			pending.remove(orderId);
			return Outcome.GONE;
		}
		if (!now.isBefore(waiting.pendingUntil())) {
			pending.remove(orderId);
			recorder.record(payment.gaveUpWaiting(now, properties.watch().duration()));
			outbox.publish(orderId, new PaymentDeclined(orderId, PaymentDeclined.UNAVAILABLE));
			log.warn("Gave up waiting for the provider to authorize order {}: {}", orderId, PaymentDeclined.UNAVAILABLE);
			return Outcome.GAVE_UP;
		}
		try {
			ProviderAuthorization at = provider.authorize(IdempotencyKeys.authorize(orderId), orderId,
					payment.amountMinor(), payment.currency(), waiting.paymentToken());
			pending.remove(orderId);
			Payment answered = recorder.record(payment, at);
			outbox.publish(orderId, answered.status() == PaymentStatus.AUTHORIZED
					? new PaymentAuthorized(orderId, answered.paymentId(), answered.amountMinor(), answered.currency())
					: new PaymentDeclined(orderId, answered.declineReason()));
			log.info("Waiting authorization of order {} answered after {} attempts: {}", orderId,
					waiting.attempts() + 1, answered.status());
			return Outcome.ANSWERED;
		}
		catch (ProviderUnavailable ex) {
			return unanswered(waiting, now, ex);
		}
		catch (ProviderRefused ex) {
			// Refused outright (not a decline): nothing was done, and asking again changes nothing.
			pending.remove(orderId);
			Payment declined = recorder.record(payment.refusedWhilePending(clock.instant()));
			outbox.publish(orderId, new PaymentDeclined(orderId, declined.declineReason()));
			log.warn("The provider refused the waiting authorization of order {}: {}", orderId, ex.getMessage());
			return Outcome.ANSWERED;
		}
	}

	/** A capture that waits: asked again with the same key, answered to the saga as the handler would. */
	private Outcome retryCapture(Payment payment, PendingAuthorizations.Pending waiting, Instant now) {
		String orderId = payment.orderId();
		if (payment.status() != PaymentStatus.AUTHORIZED) {
			pending.remove(orderId);
			if (payment.status() == PaymentStatus.CAPTURED) {
				outbox.publish(orderId, CapturePaymentHandler.captured(payment));
			}
			return Outcome.GONE;
		}
		if (!now.isBefore(waiting.pendingUntil())) {
			pending.remove(orderId);
			outbox.publish(orderId, new PaymentCaptureFailed(orderId, PaymentDeclined.UNAVAILABLE));
			log.warn("Gave up waiting for the provider to capture order {}: {}", orderId, PaymentDeclined.UNAVAILABLE);
			return Outcome.GAVE_UP;
		}
		try {
			Object answer = captureHandler.capture(payment);
			pending.remove(orderId);
			outbox.publish(orderId, answer);
			log.info("Waiting capture of order {} answered after {} attempts", orderId, waiting.attempts() + 1);
			return Outcome.ANSWERED;
		}
		catch (ProviderUnavailable ex) {
			return unanswered(waiting, now, ex);
		}
	}

	private Outcome unanswered(PendingAuthorizations.Pending waiting, Instant now, ProviderUnavailable ex) {
		int attempts = waiting.attempts() + 1;
		Instant next = now.plus(backoff.afterAttempt(attempts));
		if (next.isAfter(waiting.pendingUntil())) {
			next = waiting.pendingUntil();
		}
		pending.reschedule(waiting.orderId(), next, attempts);
		log.debug("Waiting {} of order {}: still no answer ({}); again at {}", waiting.operation(), waiting.orderId(),
				ex.getMessage(), next);
		return ex.failure().nothingDone() ? Outcome.PROVIDER_AWAY : Outcome.UNANSWERED;
	}

	private void postpone(String orderId) {
		Instant now = clock.instant();
		pending.lockIfDue(orderId, now)
			.ifPresent(waiting -> pending.reschedule(orderId, now.plus(properties.pending().backoffMax()), waiting.attempts() + 1));
	}

	private void count(Outcome outcome) {
		meters.counter("orderly.payment.pending.attempts", "result", outcome.name().toLowerCase()).increment();
	}
}
