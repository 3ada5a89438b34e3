package io.orderly.inventory.internal;

import java.util.Comparator;

import io.orderly.inventory.CommitStock;
import io.orderly.inventory.ReleaseLine;
import io.orderly.inventory.ReleaseStock;
import io.orderly.inventory.ReserveStock;
import io.orderly.inventory.RestockUnits;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Subscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("inventory")
class InventoryConfiguration {

	/**
	 * The inventory commands of the checkout saga, and the inventory's own expiry requests,
	 * applied in the subscriber's transaction. One partition on purpose: it keeps this
	 * subscriber the only transaction that changes several stock rows at once, which is what
	 * makes stock changes deadlock-free (see {@link Stock}). Two partitions could lock the
	 * same skus in opposite orders; PostgreSQL would then abort one and the kernel retry it.
	 */
	@Bean
	Subscription inventory(Reservations reservations, Stock stock) {
		return Subscription.named("inventory")
			.on(ReserveStock.class, (command, message) -> reservations.reserve(command))
			.on(CommitStock.class, (command, message) -> reservations.commit(command))
			.on(ReleaseStock.class, (command, message) -> reservations.release(command))
			.on(ReleaseLine.class, (command, message) -> reservations.releaseLine(command))
			.on(ExpireReservation.class, (command, message) -> reservations.expire(command))
			// Skus in one order, as every change of several stock rows takes them.
			.on(RestockUnits.class, (command, message) -> command.lines()
				.stream()
				.sorted(Comparator.comparing(RestockUnits.Line::sku))
				.forEach(line -> stock.adjust(line.sku(), line.quantity(),
						"back on sale: order " + command.orderId() + ", " + command.reference())))
			.build();
	}
}
