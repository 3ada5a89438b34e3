package io.orderly.payment.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.payment.PaymentStatus;
import io.orderly.platform.ConditionalOnModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compares what the provider did (its records per order reference) with our payments and
 * ledger, for the payments that changed within {@code orderly.payment.reconciliation.window}
 * (24 h), every {@code orderly.payment.reconciliation.interval} (5 min). Payments still in
 * flight (waiting for the provider, or watched) are left to the retrier and the watch.
 *
 * <p>Mismatches are a metric ({@code orderly.payment.reconciliation.mismatches} by kind and
 * whether fixed), a log line each, and the last report at {@code /v1/admin/payments/reconciliation}.
 * Fixed automatically where that is safe: our record behind the provider's takes on its state
 * (the ledger follows); money held for an order we answered as declined or cancelled is given
 * back (void, refund), as is an authorization under the order's reference that is not ours.
 * Captured twice, or a ledger that still disagrees, is only reported: a person decides.
 */
@Component
@ConditionalOnModule("payment")
public class PaymentReconciliation {

	private static final Logger log = LoggerFactory.getLogger(PaymentReconciliation.class);

	/** What can disagree. */
	public enum Kind {
		/** The provider holds an authorization for an order we answered as declined or cancelled, or one that is not ours. */
		ORPHANED_AUTHORIZATION,
		/** The provider captured money for an order we answered as declined or cancelled, or under an authorization not ours. */
		CAPTURED_WITHOUT_ORDER,
		/** More captured under the order's reference than one authorization's amount. */
		CAPTURED_TWICE,
		/** Our record of the authorization lags the provider's (a lost answer we never learned about). */
		BEHIND_PROVIDER,
		/** The ledger's balances for the order are not what the provider holds and owes. */
		LEDGER_MISMATCH
	}

	public record Mismatch(String orderId, Kind kind, String detail, boolean fixed) {
	}

	/** One run: when, how many payments were compared, what disagreed, and whether the provider answered throughout. */
	public record Report(Instant ranAt, int checked, List<Mismatch> mismatches, boolean complete) {
	}

	private final Payments payments;

	private final PaymentRecorder recorder;

	private final ProviderSteps steps;

	private final ProviderCallStore calls;

	private final Refunds refunds;

	private final PaymentProvider provider;

	private final Ledger ledger;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Duration window;

	private final AtomicInteger lastMismatches = new AtomicInteger();

	private volatile Report last;

	PaymentReconciliation(Payments payments, PaymentRecorder recorder, ProviderSteps steps, ProviderCallStore calls,
			Refunds refunds, PaymentProvider provider, Ledger ledger, TransactionTemplate transactions, Clock clock, MeterRegistry meters,
			@Value("${orderly.payment.reconciliation.window:24h}") Duration window) {
		this.payments = payments;
		this.recorder = recorder;
		this.steps = steps;
		this.calls = calls;
		this.refunds = refunds;
		this.provider = provider;
		this.ledger = ledger;
		this.transactions = transactions;
		this.clock = clock;
		this.meters = meters;
		this.window = window;
		Gauge.builder("orderly.payment.reconciliation.last.mismatches", lastMismatches, AtomicInteger::get)
			.description("Mismatches between the provider and our books found by the last reconciliation")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${orderly.payment.reconciliation.interval:5m}",
			initialDelayString = "${orderly.payment.reconciliation.interval:5m}")
	void scheduled() {
		run();
	}

	/** The last report, if a run has finished on this instance. */
	public Optional<Report> last() {
		return Optional.ofNullable(last);
	}

	/** Runs one reconciliation now and returns its report. */
	public synchronized Report run() {
		Instant started = clock.instant();
		List<Mismatch> found = new ArrayList<>();
		int checked = 0;
		boolean complete = true;
		for (String orderId : payments.settledSince(started.minus(window))) {
			try {
				List<Mismatch> mismatches = reconcile(orderId);
				found.addAll(mismatches);
				checked++;
			}
			catch (ProviderUnavailable | ProviderRefused ex) {
				log.warn("Reconciliation stopped at order {}: the provider did not answer ({})", orderId, ex.getMessage());
				complete = false;
				break;
			}
		}
		report(found);
		lastMismatches.set(found.size());
		Report report = new Report(started, checked, List.copyOf(found), complete);
		last = report;
		log.info("Reconciliation compared {} payments with the provider: {} mismatches{}", checked, found.size(),
				complete ? "" : " (stopped early: the provider did not answer)");
		return report;
	}

	/**
	 * Reconciles one order's payment now (a webhook said the provider changed something), outside
	 * any transaction: what it found and fixed. Payments in flight are left alone.
	 */
	public List<Mismatch> reconcileOne(String orderId) {
		List<Mismatch> found = reconcile(orderId);
		report(found);
		return found;
	}

	private void report(List<Mismatch> found) {
		for (Mismatch mismatch : found) {
			log.warn("reconciliation_mismatch order={} kind={} fixed={} detail=\"{}\"", mismatch.orderId(),
					mismatch.kind().name().toLowerCase(), mismatch.fixed(), mismatch.detail());
			meters.counter("orderly.payment.reconciliation.mismatches", "kind", mismatch.kind().name().toLowerCase(), "fixed",
					Boolean.toString(mismatch.fixed())).increment();
		}
	}

	/**
	 * One order: the provider asked with no connection held, our record corrected in a short
	 * transaction, and only if it did not move meanwhile (then the next run looks again).
	 */
	private List<Mismatch> reconcile(String orderId) {
		List<Mismatch> found = new ArrayList<>();
		Optional<Payment> seen = payments.find(orderId);
		if (seen.isEmpty() || inFlight(seen.get())) {
			return found;
		}
		Payment payment = seen.get();
		List<ProviderAuthorization> atProvider = provider.findByReference(orderId);

		long capturedAtProvider = atProvider.stream().mapToLong(ProviderAuthorization::capturedMinor).sum();
		long capturing = atProvider.stream().filter(a -> a.capturedMinor() > 0).count();
		long largest = atProvider.stream().mapToLong(ProviderAuthorization::amountMinor).max().orElse(0);
		if (capturing > 1 || capturedAtProvider > largest) {
			found.add(new Mismatch(orderId, Kind.CAPTURED_TWICE,
					capturing + " captures, " + capturedAtProvider + " captured in all", false));
		}

		ProviderAuthorization ours = null;
		for (ProviderAuthorization at : atProvider) {
			if (at.id().equals(payment.pspAuthorizationId())) {
				ours = at;
			}
			else if (holdsMoney(at)) {
				// Not the authorization we recorded: nothing of ours rests on it, so it is given back.
				Kind kind = at.capturedMinor() > at.refundedMinor() ? Kind.CAPTURED_WITHOUT_ORDER : Kind.ORPHANED_AUTHORIZATION;
				undoStray(at);
				found.add(new Mismatch(orderId, kind, "authorization " + at.id() + " (" + at.status() + ") is not ours", true));
			}
		}

		boolean oursChanged = false;
		if (ours != null) {
			int before = found.size();
			Payment seenPayment = payment;
			ProviderAuthorization theirs = ours;
			Payment current = transactions.execute(status -> catchUp(seenPayment, theirs, found));
			if (current == null) {
				return found;
			}
			if (mustNotHold(current)) {
				Kind kind = current.status() == PaymentStatus.CAPTURED ? Kind.CAPTURED_WITHOUT_ORDER : Kind.ORPHANED_AUTHORIZATION;
				ProviderSteps.Result result = steps.reverse(current, false);
				Payment undone = transactions.execute(status -> recordReversal(current, result));
				found.add(new Mismatch(orderId, kind, "held for an order answered "
						+ (current.declineReason() != null ? current.declineReason() : "cancelled") + "; now "
						+ (undone == null ? "moved on" : undone.status()), undone != null && !undone.status().holdsMoney()));
			}
			oursChanged = found.size() > before;
		}

		if (oursChanged || (ours == null && payment.pspAuthorizationId() != null)) {
			// A fix moved it (void, refund), or the listing missed it: the provider's word as it is now.
			ours = provider.find(payment.pspAuthorizationId()).orElse(null);
		}
		Map<String, Long> balances = ledger.balancesOf(orderId);
		long held = ours != null && "AUTHORIZED".equals(ours.status()) ? ours.amountMinor() : 0;
		long receivable = ours == null ? 0 : ours.capturedMinor() - ours.refundedMinor();
		if (balances.get(LedgerAccount.CUSTOMER_FUNDS_HELD.id()) != held
				|| balances.get(LedgerAccount.PSP_RECEIVABLE.id()) != receivable) {
			found.add(new Mismatch(orderId, Kind.LEDGER_MISMATCH, "ledger held " + balances.get(LedgerAccount.CUSTOMER_FUNDS_HELD.id())
					+ ", receivable " + balances.get(LedgerAccount.PSP_RECEIVABLE.id()) + "; provider holds " + held
					+ ", owes " + receivable, false));
		}
		return found;
	}

	/** Payments whose provider state is being learned by someone else: a call (or a refund) under way, waiting, or watched. */
	private boolean inFlight(Payment payment) {
		return payment.watched() || payment.status() == PaymentStatus.AUTHORIZATION_PENDING || calls.exists(payment.orderId())
				|| refunds.anyPending(payment.orderId());
	}

	private static boolean mustNotHold(Payment payment) {
		return (payment.answeredDeclined() || payment.status() == PaymentStatus.CANCELLED) && payment.status().holdsMoney();
	}

	/**
	 * In a transaction: our own authorization, our record caught up with the provider's; null if
	 * the payment moved since it was read (the next run looks again).
	 */
	private Payment catchUp(Payment seen, ProviderAuthorization at, List<Mismatch> found) {
		Payment current = payments.lock(seen.orderId()).orElseThrow();
		if (!current.sameStateAs(seen) || inFlight(current)) {
			return null;
		}
		if (at.paymentStatus() != current.status() || at.capturedMinor() != current.capturedMinor()
				|| at.refundedMinor() != current.refundedMinor()) {
			String was = current.status() + " captured " + current.capturedMinor() + " refunded " + current.refundedMinor();
			try {
				current = recorder.record(current, at);
				found.add(new Mismatch(current.orderId(), Kind.BEHIND_PROVIDER, "we had " + was + "; the provider has "
						+ at.status() + " captured " + at.capturedMinor() + " refunded " + at.refundedMinor(), true));
			}
			catch (PaymentStatus.IllegalStateTransition ex) {
				found.add(new Mismatch(current.orderId(), Kind.BEHIND_PROVIDER,
						"we had " + was + "; the provider has " + at.status() + ", which our record cannot follow", false));
			}
		}
		return current;
	}

	/** In a transaction: what undoing a payment we must not hold taught us; null if the payment moved meanwhile. */
	private Payment recordReversal(Payment undoing, ProviderSteps.Result result) {
		Payment current = payments.lock(undoing.orderId()).orElseThrow();
		if (!current.sameStateAs(undoing)) {
			return null;
		}
		ProviderAuthorization learned = switch (result) {
			case ProviderSteps.Answered answered -> answered.at();
			case ProviderSteps.Refused refused -> refused.learned();
			case ProviderSteps.Unanswered unanswered -> unanswered.learned();
			case ProviderSteps.NothingThere nothing -> null;
		};
		return learned == null ? current : recorder.record(current, learned);
	}

	private boolean holdsMoney(ProviderAuthorization at) {
		return "AUTHORIZED".equals(at.status()) || at.capturedMinor() > at.refundedMinor();
	}

	private void undoStray(ProviderAuthorization at) {
		if ("AUTHORIZED".equals(at.status())) {
			provider.voidAuthorization("reconcile-void:" + at.id(), at.id());
		}
		else {
			provider.refund("reconcile-refund:" + at.id(), at.id(), at.capturedMinor() - at.refundedMinor());
		}
	}
}
