package io.orderly.psp.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Service;

/**
 * What the simulated provider does: authorize, capture, void and refund, each under an
 * idempotency key, each recorded as an operation on the authorization. Refusals (wrong state,
 * amount beyond what is available, unknown authorization) change nothing and are answered,
 * and replayed, like any other result.
 */
@Service("pspPaymentProcessor")
@Conditional(PspEnabled.class)
public class PaymentProcessor {

	private final Authorizations authorizations;

	private final IdempotentRequests requests;

	private final PspResponses responses;

	private final Clock clock;

	private final WebhookSender webhooks;

	PaymentProcessor(Authorizations authorizations, IdempotentRequests requests, PspResponses responses, Clock clock,
			WebhookSender webhooks) {
		this.webhooks = webhooks;
		this.authorizations = authorizations;
		this.requests = requests;
		this.responses = responses;
		this.clock = clock;
	}

	public PspResponse authorize(String client, String key, AuthorizeRequest request) {
		List<Object> parameters = Arrays.asList("authorize", request.reference(), request.amountMinor(),
				request.currency(), request.token());
		return requests.execute(client, key, parameters, () -> {
			Instant now = now();
			Authorization authorization = Authorization.attempt(request.reference(), request.amountMinor(),
					request.currency(), request.card(), now);
			authorizations.insert(authorization);
			authorizations.record(Operation.of(authorization, OperationType.AUTHORIZE, authorization.amountMinor(), key, now));
			AuthorizationView view = view(authorization);
			webhooks.emit(authorization.declineCode() == null ? "authorization.succeeded" : "authorization.declined", view);
			return responses.created(view, "/psp/v1/authorizations/" + authorization.id());
		});
	}

	/** Captures {@code request.amountMinor()}, or the whole authorized amount when absent. */
	public PspResponse capture(String client, String key, String authorizationId, CaptureRequest request) {
		Long amount = request == null ? null : request.amountMinor();
		return requests.execute(client, key, Arrays.asList("capture", authorizationId, amount),
				() -> change(authorizationId, authorization -> {
					long captured = amount == null ? authorization.amountMinor() : amount;
					return new Change(authorization.capture(captured, now()), OperationType.CAPTURE, captured);
				}, key));
	}

	public PspResponse voidAuthorization(String client, String key, String authorizationId) {
		return requests.execute(client, key, Arrays.asList("void", authorizationId),
				() -> change(authorizationId, authorization -> new Change(authorization.voided(now()),
						OperationType.VOID, authorization.amountMinor()), key));
	}

	/** Refunds {@code request.amountMinor()}, or all that is left to refund when absent. */
	public PspResponse refund(String client, String key, String authorizationId, RefundRequest request) {
		Long amount = request == null ? null : request.amountMinor();
		return requests.execute(client, key, Arrays.asList("refund", authorizationId, amount),
				() -> change(authorizationId, authorization -> {
					long refunded = amount == null ? authorization.refundableMinor() : amount;
					return new Change(authorization.refund(refunded, now()), OperationType.REFUND, refunded);
				}, key));
	}

	public Optional<AuthorizationView> find(String authorizationId) {
		return authorizations.find(authorizationId).map(this::view);
	}

	public AuthorizationList byReference(String reference) {
		List<Authorization> found = authorizations.byReference(reference);
		Map<String, List<Operation>> operations = authorizations.operationsOf(found.stream().map(Authorization::id).toList());
		return new AuthorizationList(reference,
				found.stream().map(a -> AuthorizationView.of(a, operations.get(a.id()))).toList());
	}

	private record Change(Authorization after, OperationType type, long amountMinor) {
	}

	private PspResponse change(String authorizationId, Function<Authorization, Change> transition,
			String key) {
		Optional<Authorization> locked = authorizations.lock(authorizationId);
		if (locked.isEmpty()) {
			return responses.notFound(authorizationId);
		}
		Change change;
		try {
			change = transition.apply(locked.get());
		}
		catch (IllegalTransition refusal) {
			return responses.invalidState(refusal);
		}
		catch (AmountTooLarge refusal) {
			return responses.amountTooLarge(refusal);
		}
		authorizations.update(change.after());
		authorizations.record(Operation.of(change.after(), change.type(), change.amountMinor(), key,
				change.after().updatedAt()));
		AuthorizationView view = view(change.after());
		webhooks.emit("authorization." + change.type().name().toLowerCase(java.util.Locale.ROOT), view);
		return responses.ok(view);
	}

	private AuthorizationView view(Authorization authorization) {
		return AuthorizationView.of(authorization,
				authorizations.operationsOf(List.of(authorization.id())).get(authorization.id()));
	}

	private Instant now() {
		// The database keeps microseconds; an answer must match what a later read returns.
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}
}
