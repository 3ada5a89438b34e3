package io.orderly.payment.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

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
 * (its authorization's outcome unknown), or cancelled before or while an authorization was
 * asked for, is looked up by reference at the provider, with backoff, until its watch ends. An
 * authorization found is recorded (with its ledger movements) and voided, or refunded if it
 * was captured; when the watch ends with nothing found, an unknown authorization counts as
 * declined.
 *
 * <p>A look takes three steps, so no connection is held while the provider answers: the
 * payment is claimed ({@code skip locked}, its next look moved on as if this one failed, which
 * also keeps other instances off it), the provider is asked, and what it said is recorded if the
 * payment did not move meanwhile. Payments with a provider call under way are left to it. A
 * round stops at the first payment the provider does not answer for: the rest would fail the
 * same way.
 */
@Component
@ConditionalOnModule("payment")
public class PaymentWatch {

	private static final Logger log = LoggerFactory.getLogger(PaymentWatch.class);

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final ProviderSteps steps;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final PaymentProperties.Watch settings;

	private final Backoff backoff;

	private final MeterRegistry meters;

	PaymentWatch(Payments payments, PaymentRecorder recorder, ProviderSteps steps, TransactionTemplate transactions,
			Clock clock, PaymentProperties properties, MeterRegistry meters) {
		this.payments = payments;
		this.recorder = recorder;
		this.steps = steps;
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
				answered = check(orderId);
			}
			catch (RuntimeException ex) {
				// A payment we cannot handle must not hold up the others: its next look is already later.
				log.error("Watch of order {} failed; looking again later", orderId, ex);
				count("failed");
				continue;
			}
			if (!answered) {
				break;
			}
		}
		return looked;
	}

	/** Looks at one payment; false if the provider did not answer. */
	private boolean check(String orderId) {
		Instant now = clock.instant();
		Payment claimed = transactions.execute(status -> payments.lockIfDue(orderId, now)
			.map(payment -> recorder
				.record(payment.checkAgainAt(now.plus(backoff.afterAttempt(payment.checkAttempts() + 1)), now)))
			.orElse(null));
		if (claimed == null) {
			return true;
		}
		ProviderSteps.Result result = steps.reverse(claimed, true);
		String counted = transactions.execute(status -> record(claimed, result, now));
		count(counted);
		return !(result instanceof ProviderSteps.Unanswered || result instanceof ProviderSteps.Refused);
	}

	/** Records what the provider said, if the payment did not move meanwhile; returns the outcome counted. */
	private String record(Payment claimed, ProviderSteps.Result result, Instant now) {
		Payment payment = payments.lock(claimed.orderId()).orElseThrow();
		if (!payment.sameStateAs(claimed)) {
			return "moved";
		}
		String orderId = payment.orderId();
		switch (result) {
			case ProviderSteps.Answered answered -> {
				Payment undone = recorder.record(payment, answered.at());
				recorder.record(undone.watchEnded(clock.instant()));
				if (answered.undid()) {
					log.warn("Order {} was answered '{}' but the provider held authorization {}; it is {} now", orderId,
							payment.declineReason() == null ? "cancelled" : payment.declineReason(),
							undone.pspAuthorizationId(), undone.status());
					return "undone";
				}
				return "nothing_held";
			}
			case ProviderSteps.NothingThere nothing -> {
				if (!now.isBefore(payment.watchUntil())) {
					recorder.record(payment.watchEnded(now));
					return "nothing_found";
				}
				return "not_yet";
			}
			case ProviderSteps.Refused refused -> {
				learned(payment, refused.learned());
				log.info("Watch of order {}: the provider refused ({}); looking again later", orderId, refused.code());
				return "unanswered";
			}
			case ProviderSteps.Unanswered unanswered -> {
				learned(payment, unanswered.learned());
				log.info("Watch of order {}: the provider did not answer ({}); looking again later", orderId,
						unanswered.why());
				return "unanswered";
			}
		}
	}

	private void learned(Payment payment, ProviderAuthorization at) {
		if (at != null) {
			recorder.record(payment, at);
		}
	}

	private void count(String result) {
		meters.counter("orderly.payment.watch.checks", "result", result).increment();
	}
}
