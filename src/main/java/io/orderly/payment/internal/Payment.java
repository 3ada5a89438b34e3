package io.orderly.payment.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.orderly.payment.AuthorizePayment;
import io.orderly.payment.PaymentDeclined;
import io.orderly.payment.PaymentStatus;
import io.orderly.platform.Ids;

/**
 * An order's payment: what the provider holds for it, as far as we know. Changes are new
 * values; each checks its transition ({@link PaymentStatus#transitionTo}).
 *
 * @param paymentId          our id, given to the saga; never changes
 * @param pspAuthorizationId the provider's authorization, once known; null for a zero amount
 * @param amountMinor        authorized (or asked for, while unknown); null only when
 *                           {@code CANCELLED} before any authorization
 * @param declineReason      the reason the saga was given when we answered "declined"; once set
 *                           it stays, and the payment never becomes capturable
 * @param watchUntil         while not null, the provider is looked up by reference until then
 * @param nextCheckAt        the next look; null when not watched
 */
public record Payment(String orderId, String paymentId, String customerId, String pspAuthorizationId,
		PaymentStatus status, Long amountMinor, String currency, long capturedMinor, long refundedMinor,
		String declineReason, Instant watchUntil, Instant nextCheckAt, int checkAttempts, Instant createdAt,
		Instant updatedAt) {

	public Payment {
		if (orderId == null || paymentId == null || status == null || createdAt == null || updatedAt == null) {
			throw new IllegalArgumentException("A payment needs an order, an id, a status and timestamps");
		}
		if (amountMinor != null && capturedMinor > amountMinor) {
			throw new IllegalArgumentException("Payment " + paymentId + ": captured " + capturedMinor
					+ " is more than the authorized " + amountMinor);
		}
		if (refundedMinor > capturedMinor) {
			throw new IllegalArgumentException("Payment " + paymentId + ": refunded more than captured");
		}
	}

	/** The authorization is asked of the provider ({@link ProviderCalls}); the saga is answered when it answers. */
	static Payment pending(AuthorizePayment command, Instant now) {
		return new Payment(command.orderId(), Ids.nextString(), command.customerId(), null,
				PaymentStatus.AUTHORIZATION_PENDING, command.amountMinor(), command.currency(), 0, 0, null, null, null, 0,
				now, now);
	}

	/**
	 * The longest wait for the provider has passed: the saga is told {@code payment_unavailable},
	 * and the provider is watched in case the last attempt did authorize.
	 */
	Payment gaveUpWaiting(Instant now, Duration watchFor) {
		return new Payment(orderId, paymentId, customerId, null, status.transitionTo(PaymentStatus.AUTHORIZATION_UNKNOWN),
				amountMinor, currency, 0, 0, PaymentDeclined.UNAVAILABLE, now.plus(watchFor), now, 0, createdAt, now);
	}

	/**
	 * Cancelled while waiting for the provider: no authorization may follow, and the provider is
	 * watched in case an attempt did authorize.
	 */
	Payment cancelledWhilePending(Instant now, Duration watchFor) {
		return new Payment(orderId, paymentId, customerId, null, status.transitionTo(PaymentStatus.CANCELLED),
				amountMinor, currency, 0, 0, null, now.plus(watchFor), now, 0, createdAt, now);
	}

	/** The provider refused a waiting authorization outright (not a decline): nothing was done. */
	Payment refusedWhilePending(Instant now) {
		return new Payment(orderId, paymentId, customerId, null, status.transitionTo(PaymentStatus.DECLINED), amountMinor,
				currency, 0, 0, PaymentDeclined.DECLINED, null, null, 0, createdAt, now);
	}

	/** Nothing to hold: a zero amount is authorized without asking the provider. */
	static Payment free(AuthorizePayment command, Instant now) {
		return new Payment(command.orderId(), Ids.nextString(), command.customerId(), null, PaymentStatus.AUTHORIZED, 0L,
				command.currency(), 0, 0, null, null, null, 0, now, now);
	}

	/**
	 * Cancelled before any authorization was recorded: no authorization may follow, and the
	 * provider is watched in case one was on its way.
	 */
	static Payment cancelled(String orderId, Instant now, Duration watchFor) {
		return new Payment(orderId, Ids.nextString(), null, null, PaymentStatus.CANCELLED, null, null, 0, 0, null,
				now.plus(watchFor), now, 0, now, now);
	}

	/** Takes on the provider's word for the authorization: its status and amounts. */
	Payment adopt(ProviderAuthorization at, Instant now) {
		if (pspAuthorizationId != null && !pspAuthorizationId.equals(at.id())) {
			throw new IllegalStateException("Payment " + paymentId + " is authorization " + pspAuthorizationId
					+ ", not " + at.id());
		}
		PaymentStatus to = at.paymentStatus();
		PaymentStatus next = to == status ? status : status.transitionTo(to);
		String reason = declineReason != null ? declineReason : at.declined() ? at.declineReason() : null;
		return new Payment(orderId, paymentId, customerId, at.id(), next, at.amountMinor(), at.currency(),
				at.capturedMinor(), at.refundedMinor(), reason, watchUntil, nextCheckAt, checkAttempts, createdAt, now);
	}

	/** A zero amount is captured without asking the provider. */
	Payment capturedWithoutProvider(Instant now) {
		requireWithoutProvider();
		return new Payment(orderId, paymentId, customerId, null, status.transitionTo(PaymentStatus.CAPTURED),
				amountMinor, currency, amountMinor, 0, declineReason, watchUntil, nextCheckAt, checkAttempts, createdAt,
				now);
	}

	/** A captured zero amount is given back without asking the provider. */
	Payment refundedWithoutProvider(Instant now) {
		requireWithoutProvider();
		return new Payment(orderId, paymentId, customerId, null, status.transitionTo(PaymentStatus.REFUNDED),
				amountMinor, currency, capturedMinor, capturedMinor, declineReason, watchUntil, nextCheckAt,
				checkAttempts, createdAt, now);
	}

	/** A zero amount is released without asking the provider. */
	Payment voidedWithoutProvider(Instant now) {
		requireWithoutProvider();
		return new Payment(orderId, paymentId, customerId, null, status.transitionTo(PaymentStatus.VOIDED), amountMinor,
				currency, capturedMinor, refundedMinor, declineReason, watchUntil, nextCheckAt, checkAttempts, createdAt,
				now);
	}

	/** Looks at the provider again at {@code next}. */
	Payment checkAgainAt(Instant next, Instant now) {
		return new Payment(orderId, paymentId, customerId, pspAuthorizationId, status, amountMinor, currency,
				capturedMinor, refundedMinor, declineReason, watchUntil, next, checkAttempts + 1, createdAt, now);
	}

	/**
	 * Stops watching: nothing is held. An authorization that never showed up in the watch
	 * counts as declined.
	 */
	Payment watchEnded(Instant now) {
		PaymentStatus next = status == PaymentStatus.AUTHORIZATION_UNKNOWN ? status.transitionTo(PaymentStatus.DECLINED)
				: status;
		if (next.holdsMoney()) {
			throw new IllegalStateException("Payment " + paymentId + " still holds money (" + status + ")");
		}
		return new Payment(orderId, paymentId, customerId, pspAuthorizationId, next, amountMinor, currency,
				capturedMinor, refundedMinor, declineReason, null, null, checkAttempts, createdAt, now);
	}

	/** Whether both say the same about the provider: status, authorization, amounts, decline, watch. */
	boolean sameStateAs(Payment other) {
		return status == other.status && Objects.equals(pspAuthorizationId, other.pspAuthorizationId)
				&& capturedMinor == other.capturedMinor && refundedMinor == other.refundedMinor
				&& Objects.equals(declineReason, other.declineReason) && watched() == other.watched();
	}

	boolean watched() {
		return nextCheckAt != null;
	}

	/** Whether the saga was told "declined": such a payment is never captured, only undone. */
	boolean answeredDeclined() {
		return declineReason != null;
	}

	private void requireWithoutProvider() {
		if (pspAuthorizationId != null || amountMinor == null || amountMinor != 0) {
			throw new IllegalStateException("Payment " + paymentId + " is held by the provider");
		}
	}
}
