package io.orderly.providers.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provider simulators ({@code orderly.providers.*}).
 *
 * @param host          where they listen
 * @param basePort      the first provider's port, the others' follow (0: free ones, settled at startup)
 * @param ratePerSecond the rate limit each provider imposes on its clients
 * @param receiptDelay  how long after accepting a message its delivery receipt is sent
 * @param receiptUrl    where receipts go (empty: this process's {@code /v1/webhooks/notifications})
 */
@ConfigurationProperties("orderly.providers")
public record ProviderSimulatorProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("127.0.0.1") String host, @DefaultValue("8091") int basePort,
		@DefaultValue("200") int ratePerSecond, @DefaultValue("2s") Duration receiptDelay,
		@DefaultValue("") String receiptUrl) {

	public ProviderSimulatorProperties {
		if (ratePerSecond < 1 || receiptDelay.isNegative()) {
			throw new IllegalArgumentException("orderly.providers settings out of range");
		}
	}
}
