package io.orderly.inventory.internal;

import io.orderly.inventory.CommitStock;
import io.orderly.inventory.ReleaseStock;
import io.orderly.inventory.ReserveStock;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Subscription;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("inventory")
class InventoryConfiguration {

	/**
	 * The inventory commands of the checkout saga, applied in the subscriber's transaction.
	 * One partition: reservations take turns anyway (see {@link Reservations}), and a single
	 * stream keeps every order's commands in one transaction at a time.
	 */
	@Bean
	Subscription inventory(Reservations reservations) {
		return Subscription.named("inventory")
			.on(ReserveStock.class, (command, message) -> reservations.reserve(command))
			.on(CommitStock.class, (command, message) -> reservations.commit(command))
			.on(ReleaseStock.class, (command, message) -> reservations.release(command))
			.build();
	}
}
