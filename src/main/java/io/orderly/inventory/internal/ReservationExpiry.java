package io.orderly.inventory.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Outbox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Returns reservations nobody committed or released in time to stock. In small
 * transactions it marks due reservations and sends each order an {@link ExpireReservation};
 * the inventory's subscriber then gives the units back in the order's own stream of
 * commands, after any commit or release sent before it. So an expiry never races a commit
 * of the same order, and the subscriber stays the only transaction that changes several
 * stock rows at once (see {@link Stock}). Safe to run in several processes at once: each
 * skips the reservations another has locked. A request that was not acted on (its message
 * is dead-lettered, say) is sent again after {@link #RESEND_AFTER}.
 */
@Component
@ConditionalOnModule("inventory")
class ReservationExpiry {

	static final Duration RESEND_AFTER = Duration.ofMinutes(5);

	/** Batches per run at most, so one run stays short. */
	private static final int MAX_BATCHES_PER_RUN = 50;

	private final JdbcClient jdbc;

	private final Outbox outbox;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final InventoryProperties properties;

	ReservationExpiry(JdbcClient jdbc, Outbox outbox, TransactionTemplate transactions, Clock clock,
			InventoryProperties properties) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.transactions = transactions;
		this.clock = clock;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${orderly.inventory.expiry-interval:1s}",
			initialDelayString = "${orderly.inventory.expiry-interval:1s}")
	void expireDue() {
		Instant now = clock.instant();
		for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
			Integer requested = transactions.execute(status -> requestExpiry(now, properties.expiryBatchSize()));
			if (requested == null || requested < properties.expiryBatchSize()) {
				return;
			}
		}
	}

	/** Marks up to {@code limit} due reservations, oldest first, and sends each an ExpireReservation. */
	private int requestExpiry(Instant now, int limit) {
		List<String> orders = jdbc.sql("""
				update inventory.reservations set expiry_requested_at = :now
				where order_id = any(array(
				    select order_id from inventory.reservations
				    where state = 'RESERVED' and expires_at <= :now
				      and (expiry_requested_at is null or expiry_requested_at <= :resendBefore)
				    order by expires_at limit :limit
				    for update skip locked))
				returning order_id""")
			.param("now", Timestamp.from(now))
			.param("resendBefore", Timestamp.from(now.minus(RESEND_AFTER)))
			.param("limit", limit)
			.query(String.class)
			.list();
		orders.forEach(orderId -> outbox.publish(orderId, new ExpireReservation(orderId)));
		return orders.size();
	}
}
