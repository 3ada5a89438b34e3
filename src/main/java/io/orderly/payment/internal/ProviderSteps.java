package io.orderly.payment.internal;

import java.util.Optional;

import io.orderly.payment.PaymentStatus;
import io.orderly.platform.ConditionalOnModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * What the payment module asks the provider, step by step, and what it learns: no database
 * here, so no connection is held while the provider answers (the provider itself refuses to be
 * called inside a transaction, see {@link PaymentConfiguration}). The callers record the
 * {@link Result} afterwards, in a transaction of their own, and only if the payment did not
 * move meanwhile.
 *
 * <p>Every changing call carries the order's key for its operation ({@link IdempotencyKeys}),
 * so making a step again after a crash or a lost answer is answered, not done twice.
 */
@Component
@ConditionalOnModule("payment")
class ProviderSteps {

	private static final Logger log = LoggerFactory.getLogger(ProviderSteps.class);

	/** Enough for the longest reversal: void refused, read "captured", refund. */
	private static final int MAX_REVERSAL_STEPS = 4;

	/** What the provider told. */
	sealed interface Result {
	}

	/**
	 * The provider's word on the order's authorization.
	 *
	 * @param undid whether a void or refund was made to get there
	 */
	record Answered(ProviderAuthorization at, boolean undid) implements Result {
	}

	/** The provider holds nothing under the order's reference. */
	record NothingThere() implements Result {
	}

	/** Refused outright (a 4xx that is not a decline); {@code learned} is what was read on the way, if anything. */
	record Refused(String code, ProviderAuthorization learned) implements Result {
	}

	/**
	 * No usable answer: the outcome is unknown. {@code providerAway}: certainly nothing done, the
	 * provider could not be reached at all; {@code elsewhere}: the provider is still answering
	 * another request with the same key (another attempt of the call, or the watch), so the
	 * answer will come; {@code learned} is what was read on the way, if anything.
	 */
	record Unanswered(String why, boolean providerAway, boolean elsewhere, ProviderAuthorization learned)
			implements Result {

		static Unanswered of(ProviderUnavailable ex, ProviderAuthorization learned) {
			return new Unanswered(ex.getMessage(), ex.failure().providerAway(),
					ex.failure() == ProviderUnavailable.Failure.KEY_IN_USE, learned);
		}
	}

	private final PaymentProvider provider;

	ProviderSteps(PaymentProvider provider) {
		this.provider = provider;
	}

	/**
	 * Holds the payment's amount with the key {@code authorize:<orderId>}. Without a usable answer
	 * the provider is asked by reference whether the authorization happened.
	 */
	Result authorize(Payment payment, String token) {
		String orderId = payment.orderId();
		Unanswered unanswered;
		try {
			return new Answered(provider.authorize(IdempotencyKeys.authorize(orderId), orderId, payment.amountMinor(),
					payment.currency(), token), false);
		}
		catch (ProviderRefused refused) {
			if (!ProviderRefused.IDEMPOTENCY_ERROR.equals(refused.code())) {
				log.warn("The provider refused to authorize order {}: {}", orderId, refused.getMessage());
				return new Refused(refused.code(), null);
			}
			// The key was used with other parameters: an authorization of this order may exist.
			log.error("Order {} was authorized before with other parameters: {}", orderId, refused.getMessage());
			unanswered = new Unanswered(refused.getMessage(), false, false, null);
		}
		catch (ProviderUnavailable ex) {
			log.info("No answer from the provider to authorize order {} ({}); looking it up by reference", orderId,
					ex.getMessage());
			unanswered = Unanswered.of(ex, null);
		}
		try {
			Optional<ProviderAuthorization> found = provider.latestFor(orderId);
			if (found.isPresent() && answers(payment, found.get())) {
				return new Answered(found.get(), false);
			}
		}
		catch (ProviderUnavailable | ProviderRefused ex) {
			log.info("The provider could not be asked about order {} either ({})", orderId, ex.getMessage());
		}
		return unanswered;
	}

	/** Whether an authorization found by reference is the answer to the payment's request. */
	private static boolean answers(Payment payment, ProviderAuthorization found) {
		PaymentStatus status = found.paymentStatus();
		return payment.amountMinor() != null && found.amountMinor() == payment.amountMinor()
				&& found.currency().equals(payment.currency())
				&& (status == PaymentStatus.AUTHORIZED || status == PaymentStatus.DECLINED);
	}

	/**
	 * Captures the whole authorized amount, never more, with the key {@code capture:<orderId>}.
	 * Refused, the authorization is read: its state moved on without us (voided, or captured
	 * under an expired key).
	 */
	Result capture(Payment payment) {
		String orderId = payment.orderId();
		try {
			return new Answered(provider.capture(IdempotencyKeys.capture(orderId), payment.pspAuthorizationId(),
					payment.amountMinor()), false);
		}
		catch (ProviderRefused refused) {
			try {
				Optional<ProviderAuthorization> now = provider.find(payment.pspAuthorizationId());
				if (now.isEmpty()) {
					log.error("Capture of order {} refused and its authorization is gone: {}", orderId, refused.getMessage());
					return new Refused(refused.code(), null);
				}
				return new Answered(now.get(), false);
			}
			catch (ProviderUnavailable ex) {
				return Unanswered.of(ex, null);
			}
		}
		catch (ProviderUnavailable ex) {
			return Unanswered.of(ex, null);
		}
	}

	/**
	 * Undoes what the provider holds for the payment: voids an authorization, refunds a capture in
	 * full, each with the order's key. When the payment does not know its authorization (its
	 * outcome unknown, or cancelled before one was recorded), or {@code lookUpFirst}, the provider
	 * is asked by reference first. A refusal because the provider's state moved on without us
	 * hearing (a capture whose answer was lost) is followed by a read, and acted on.
	 */
	Result reverse(Payment payment, boolean lookUpFirst) {
		String orderId = payment.orderId();
		ProviderAuthorization learned = null;
		if (lookUpFirst || payment.pspAuthorizationId() == null) {
			try {
				Optional<ProviderAuthorization> found = provider.latestFor(orderId);
				if (found.isEmpty()) {
					return new NothingThere();
				}
				learned = found.get();
			}
			catch (ProviderUnavailable ex) {
				return Unanswered.of(ex, null);
			}
			catch (ProviderRefused ex) {
				return new Refused(ex.code(), null);
			}
		}
		boolean undid = false;
		for (int step = 0; step < MAX_REVERSAL_STEPS; step++) {
			PaymentStatus status = learned != null ? learned.paymentStatus() : payment.status();
			String authorization = learned != null ? learned.id() : payment.pspAuthorizationId();
			long refundable = learned != null ? learned.capturedMinor() - learned.refundedMinor()
					: payment.capturedMinor() - payment.refundedMinor();
			try {
				switch (status) {
					case AUTHORIZED -> learned = provider.voidAuthorization(IdempotencyKeys.voidAuthorization(orderId),
							authorization);
					case CAPTURED -> learned = provider.refund(IdempotencyKeys.refund(orderId), authorization, refundable);
					default -> {
						return learned == null ? new NothingThere() : new Answered(learned, undid);
					}
				}
				undid = true;
			}
			catch (ProviderRefused refused) {
				try {
					Optional<ProviderAuthorization> now = provider.find(authorization);
					if (now.isEmpty() || now.get().paymentStatus() == status) {
						return new Refused(refused.code(), learned);
					}
					learned = now.get();
				}
				catch (ProviderUnavailable ex) {
					return Unanswered.of(ex, learned);
				}
			}
			catch (ProviderUnavailable ex) {
				return Unanswered.of(ex, learned);
			}
		}
		throw new IllegalStateException("Payment " + payment.paymentId() + " still holds money after "
				+ MAX_REVERSAL_STEPS + " steps");
	}
}
