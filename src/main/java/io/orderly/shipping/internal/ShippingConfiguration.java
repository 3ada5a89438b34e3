package io.orderly.shipping.internal;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.messaging.Subscription;
import io.orderly.shipping.CancelShipment;
import io.orderly.shipping.CreateShipment;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("shipping")
@EnableConfigurationProperties(CarrierProperties.class)
class ShippingConfiguration {

	/** The checkout saga's commands to shipping; each is a few statements, so one worker keeps up. */
	@Bean
	Subscription shippingCommands(ShipmentManagement shipments) {
		return Subscription.named("shipping")
			.on(CreateShipment.class, (command, message) -> shipments.on(command))
			.on(CancelShipment.class, (command, message) -> shipments.on(command))
			.build();
	}
}
