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

	private final PaymentReversal reversal;

	private final PaymentProvider provider;

	private final Ledger ledger;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Duration window;

	private final AtomicInteger lastMismatches = new AtomicInteger();

	private volatile Report last;

	PaymentReconciliation(Payments payments, PaymentRecorder recorder, PaymentReversal reversal,
			PaymentProvider provider, Ledger ledger, TransactionTemplate transactions, Clock clock, MeterRegistry meters,
			@Value("${orderly.payment.reconciliation.window:24h}") Duration window) {
		this.payments = payments;
		this.recorder = recorder;
		this.reversal = reversal;
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
				List<Mismatch> mismatches = transactions.execute(status -> reconcile(orderId));
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
	 * Reconciles one order's payment now, in the caller's transaction (a webhook said the
	 * provider changed something): what it found and fixed. Payments in flight are left alone.
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

	private List<Mismatch> reconcile(String orderId) {
		List<Mismatch> found = new ArrayList<>();
		Optional<Payment> locked = payments.lock(orderId);
		if (locked.isEmpty() || locked.get().watched() || locked.get().status() == PaymentStatus.AUTHORIZATION_PENDING) {
			return found;
		}
		Payment payment = locked.get();
		List<ProviderAuthorization> atProvider = provider.findByReference(orderId);

		long capturedAtProvider = atProvider.stream().mapToLong(ProviderAuthorization::capturedMinor).sum();
		long capturing = atProvider.stream().filter(a -> a.capturedMinor() > 0).count();
		long largest = atProvider.stream().mapToLong(ProviderAuthorization::amountMinor).max().orElse(0);
		if (capturing > 1 || capturedAtProvider > largest) {
			found.add(new Mismatch(orderId, Kind.CAPTURED_TWICE,
					capturing + " captures, " + capturedAtProvider + " captured in all", false));
		}

		ProviderAuthorization ours = null;
		boolean oursChanged = false;
		for (ProviderAuthorization at : atProvider) {
			if (at.id().equals(payment.pspAuthorizationId())) {
				int before = found.size();
				payment = reconcileOurs(payment, at, found);
				ours = at;
				oursChanged = found.size() > before;
			}
			else if (holdsMoney(at)) {
				// Not the authorization we recorded: nothing of ours rests on it, so it is given back.
				Kind kind = at.capturedMinor() > at.refundedMinor() ? Kind.CAPTURED_WITHOUT_ORDER : Kind.ORPHANED_AUTHORIZATION;
				undoStray(at);
				found.add(new Mismatch(orderId, kind, "authorization " + at.id() + " (" + at.status() + ") is not ours", true));
			}
		}

		Map<String, Long> balances = ledger.balancesOf(orderId);
		if (oursChanged || (ours == null && payment.pspAuthorizationId() != null)) {
			// A fix moved it (void, refund), or the listing missed it: the provider's word as it is now.
			ours = provider.find(payment.pspAuthorizationId()).orElse(null);
		}
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

	/** Our own authorization: catch our record up with the provider, then give back what we must not keep. */
	private Payment reconcileOurs(Payment payment, ProviderAuthorization at, List<Mismatch> found) {
		Payment current = payment;
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
				return current;
			}
		}
		boolean mustNotHold = current.answeredDeclined() || current.status() == PaymentStatus.CANCELLED;
		if (mustNotHold && current.status().holdsMoney()) {
			Kind kind = current.status() == PaymentStatus.CAPTURED ? Kind.CAPTURED_WITHOUT_ORDER : Kind.ORPHANED_AUTHORIZATION;
			Payment undone = reversal.reverse(current);
			found.add(new Mismatch(current.orderId(), kind, "held for an order answered "
					+ (current.declineReason() != null ? current.declineReason() : "cancelled") + "; now " + undone.status(), true));
			return undone;
		}
		return current;
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
