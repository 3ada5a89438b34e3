package io.orderly.payment.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps "declined" true. A payment answered as declined without the provider's word for it
 * (its authorization's outcome unknown), or cancelled before any authorization was recorded,
 * is looked up by reference at the provider, with backoff, until its watch ends. An
 * authorization found is recorded (with its ledger movements) and voided, or refunded if it
 * was captured; when the watch ends with nothing found, an unknown authorization counts as
 * declined.
 *
 * <p>One payment per transaction, locked with {@code skip locked}, so a command being handled
 * for the same order is never waited for, and several instances share the work. A round stops
 * at the first payment the provider does not answer for: the rest would fail the same way.
 */
@Component
@ConditionalOnModule("payment")
public class PaymentWatch {

	private static final Logger log = LoggerFactory.getLogger(PaymentWatch.class);

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final PaymentReversal reversal;

	private final PaymentProvider provider;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final PaymentProperties.Watch settings;

	private final Backoff backoff;

	private final MeterRegistry meters;

	PaymentWatch(Payments payments, PaymentRecorder recorder, PaymentReversal reversal, PaymentProvider provider,
			TransactionTemplate transactions, Clock clock, PaymentProperties properties, MeterRegistry meters) {
		this.payments = payments;
		this.recorder = recorder;
		this.reversal = reversal;
		this.provider = provider;
		this.transactions = transactions;
		this.clock = clock;
		this.settings = properties.watch();
		Duration longest = Duration.ofMinutes(1).compareTo(settings.interval()) > 0 ? Duration.ofMinutes(1)
				: settings.interval();
		this.backoff = new Backoff(settings.interval(), longest);
		this.meters = meters;
	}

	@Scheduled(fixedDelayString = "${orderly.payment.watch.interval:5s}",
			initialDelayString = "${orderly.payment.watch.interval:5s}")
	void scheduled() {
		checkDue();
	}

	/** Looks at the provider for the payments that are due; returns how many it looked at. */
	public int checkDue() {
		int looked = 0;
		for (String orderId : payments.dueForCheck(clock.instant(), settings.batchSize())) {
			looked++;
			boolean answered;
			try {
				answered = Boolean.TRUE.equals(transactions.execute(status -> check(orderId)));
			}
			catch (RuntimeException ex) {
				// A payment we cannot handle must not hold up the others: look again much later.
				log.error("Watch of order {} failed; looking again in {}", orderId, backoff.max(), ex);
				transactions.executeWithoutResult(status -> postpone(orderId));
				count("failed");
				continue;
			}
			if (!answered) {
				break;
			}
		}
		return looked;
	}

	private void postpone(String orderId) {
		Instant now = clock.instant();
		payments.lockIfDue(orderId, now)
			.ifPresent(payment -> recorder.record(payment.checkAgainAt(now.plus(backoff.max()), now)));
	}

	/** Looks at one payment; false if the provider did not answer. */
	private boolean check(String orderId) {
		Instant now = clock.instant();
		Optional<Payment> due = payments.lockIfDue(orderId, now);
		if (due.isEmpty()) {
			return true;
		}
		Payment payment = due.get();
		try {
			Optional<ProviderAuthorization> found = provider.latestFor(orderId);
			if (found.isPresent()) {
				Payment recorded = recorder.record(payment, found.get());
				Payment undone = reversal.reverse(recorded);
				recorder.record(undone.watchEnded(clock.instant()));
				if (recorded.status().holdsMoney()) {
					log.warn("Order {} was answered '{}' but the provider held authorization {}; it is {} now", orderId,
							payment.declineReason() == null ? "cancelled" : payment.declineReason(),
							undone.pspAuthorizationId(), undone.status());
					count("undone");
				}
				else {
					count("nothing_held");
				}
			}
			else if (!now.isBefore(payment.watchUntil())) {
				recorder.record(payment.watchEnded(now));
				count("nothing_found");
			}
			else {
				recorder.record(payment.checkAgainAt(now.plus(backoff.afterAttempt(payment.checkAttempts() + 1)), now));
				count("not_yet");
			}
			return true;
		}
		catch (ProviderUnavailable | ProviderRefused ex) {
			log.info("Watch of order {}: the provider did not answer ({}); looking again later", orderId, ex.getMessage());
			Payment latest = payments.lock(orderId).orElseThrow();
			recorder.record(latest.checkAgainAt(now.plus(backoff.afterAttempt(latest.checkAttempts() + 1)), now));
			count("unanswered");
			return false;
		}
	}

	private void count(String result) {
		meters.counter("orderly.payment.watch.checks", "result", result).increment();
	}
}
