package io.orderly.payment.web;

import io.orderly.payment.PaymentManagement;
import io.orderly.payment.PaymentView;
import io.orderly.payment.internal.PaymentReconciliation;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of an order's payment. */
@RestController
@ConditionalOnModule("payment")
@RequestMapping("/v1/admin/payments")
@Tag(name = "Payments (operator)")
class PaymentAdminController {

	private final PaymentManagement payments;

	private final PaymentReconciliation reconciliation;

	PaymentAdminController(PaymentManagement payments, PaymentReconciliation reconciliation) {
		this.payments = payments;
		this.reconciliation = reconciliation;
	}

	@GetMapping("/reconciliation")
	@Operation(summary = "The last reconciliation with the provider", description = """
			What the last run on this instance found when it compared the provider's records with our payments and 			ledger: each mismatch (orphaned_authorization, captured_without_order, captured_twice, behind_provider, 			ledger_mismatch) and whether it was fixed. Runs every orderly.payment.reconciliation.interval.""")
	@ApiResponse(responseCode = "200", description = "The last report")
	@ApiResponse(responseCode = "404", description = "No run has finished on this instance yet")
	PaymentReconciliation.Report lastReconciliation() {
		return reconciliation.last()
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"No reconciliation has run on this instance yet; POST to run one now."));
	}

	@PostMapping("/reconciliation")
	@Operation(summary = "Reconcile with the provider now", description = "Runs a reconciliation at once and answers its report.")
	@ApiResponse(responseCode = "200", description = "The report")
	PaymentReconciliation.Report reconcile() {
		return reconciliation.run();
	}

	@GetMapping("/{orderId}")
	@Operation(summary = "An order's payment and its ledger", description = """
			Our record of the order's payment (status, the provider's authorization id, authorized, captured and \
			refunded amounts, the decline reason the saga was given) with every ledger entry booked for it \
			(debits positive, credits negative; the entries of a transaction sum to zero) and the balance per \
			account: customer_funds_held is what the provider holds on the card, psp_receivable what it owes us.""")
	@ApiResponse(responseCode = "200", description = "The payment")
	@ApiResponse(responseCode = "404", description = "No payment for this order")
	PaymentView get(@PathVariable String orderId) {
		return payments.find(orderId)
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"No payment for order " + orderId + "."));
	}
}
