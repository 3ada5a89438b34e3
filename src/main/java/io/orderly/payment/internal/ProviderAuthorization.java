package io.orderly.payment.internal;

import io.orderly.payment.PaymentDeclined;
import io.orderly.payment.PaymentStatus;

/**
 * An authorization as the provider reports it.
 *
 * @param status        {@code AUTHORIZED}, {@code DECLINED}, {@code CAPTURED} or {@code VOIDED}
 * @param declineCode   why it was declined ({@code card_declined}, {@code insufficient_funds}), else null
 * @param capturedMinor taken from the card
 * @param refundedMinor given back, at most {@code capturedMinor}
 */
public record ProviderAuthorization(String id, String reference, String status, String declineCode,
		long amountMinor, String currency, long capturedMinor, long refundedMinor) {

	public ProviderAuthorization {
		if (id == null || id.isBlank() || status == null || currency == null || amountMinor < 0 || capturedMinor < 0
				|| refundedMinor < 0) {
			throw new IllegalArgumentException("An authorization needs an id, a status, a currency and amounts >= 0");
		}
	}

	/** What this authorization means for our payment. */
	PaymentStatus paymentStatus() {
		return switch (status) {
			case "AUTHORIZED" -> PaymentStatus.AUTHORIZED;
			case "DECLINED" -> PaymentStatus.DECLINED;
			case "VOIDED" -> PaymentStatus.VOIDED;
			case "CAPTURED" -> capturedMinor > 0 && refundedMinor >= capturedMinor ? PaymentStatus.REFUNDED
					: PaymentStatus.CAPTURED;
			default -> throw new IllegalStateException("Authorization " + id + " has a status we do not know: " + status);
		};
	}

	boolean declined() {
		return "DECLINED".equals(status);
	}

	boolean voided() {
		return "VOIDED".equals(status);
	}

	/** The reason the saga reads for a declined authorization. */
	String declineReason() {
		return "insufficient_funds".equals(declineCode) ? PaymentDeclined.INSUFFICIENT_FUNDS : PaymentDeclined.DECLINED;
	}
}
