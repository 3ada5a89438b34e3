package io.orderly.notification.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a receipt comes to, as the store answers its statements. The race the 100,000-recipient run
 * met once: the receipt's first statement ran before the round recording the send committed, the
 * second after it, and the receipt was taken as seen before: its delivery stayed SENT for good.
 */
class DeliveryReceiptsTest {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

	@Test
	void aReceiptArrivingWhileItsSendIsBeingRecordedIsApplied() {
		Store store = new Store(List.of(false, true), true);

		assertThat(new DeliveryReceipts(store, null, CLOCK).apply("sms-primary", "m-1", "delivered"))
			.isEqualTo(DeliveryReceipts.Result.APPLIED);
		assertThat(store.moved).isEqualTo("DELIVERED");
	}

	@Test
	void aReceiptSeenBeforeChangesNothing() {
		Store store = new Store(List.of(false, false), true);

		assertThat(new DeliveryReceipts(store, null, CLOCK).apply("sms-primary", "m-1", "bounced"))
			.isEqualTo(DeliveryReceipts.Result.ALREADY);
		assertThat(store.moved).isNull();
	}

	@Test
	void aReceiptForAMessageNotKnownYetIsUnknown() {
		Store store = new Store(List.of(false), false);

		assertThat(new DeliveryReceipts(store, null, CLOCK).apply("sms-primary", "m-1", "delivered"))
			.isEqualTo(DeliveryReceipts.Result.UNKNOWN);
	}

	/** Answers the receipt's statements in turn: whether each moved the delivery, and whether the message is known. */
	private static final class Store extends NotificationStore {

		private final Deque<Boolean> receipts;

		private final boolean known;

		private String moved;

		Store(List<Boolean> receipts, boolean known) {
			super(null);
			this.receipts = new ArrayDeque<>(receipts);
			this.known = known;
		}

		@Override
		boolean receipt(String provider, String providerMessage, String status, String detail, Instant now) {
			boolean applied = receipts.removeFirst();
			if (applied) {
				moved = status;
			}
			return applied;
		}

		@Override
		boolean knows(String provider, String providerMessage) {
			return known;
		}
	}
}
