package io.orderly.shipping.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The carrier simulator ({@code orderly.shipping.carrier.*}): it delivers a dispatched parcel
 * after {@code deliveryAfter} and reports it by a signed webhook to {@code webhookUrl} (empty:
 * this process's own {@code /v1/webhooks/carrier}), signed with {@code webhookSecret} (empty: a
 * random one of this process's, which both signs and checks; set it where the carrier and the
 * receiving process differ), as a
 * carrier would: at least once, again after {@code retryAfter} until answered. Its faults:
 * {@code lostReportRate} of the reports never arrive, {@code duplicateReportRate} arrive twice.
 *
 * @param tolerance how old a signed report may be when it arrives
 */
@ConfigurationProperties("orderly.shipping.carrier")
public record CarrierProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1m") Duration deliveryAfter,
		@DefaultValue("") String webhookUrl, @DefaultValue("") String webhookSecret,
		@DefaultValue("5m") Duration tolerance, @DefaultValue("1s") Duration interval,
		@DefaultValue("5s") Duration retryAfter, @DefaultValue("0") double lostReportRate,
		@DefaultValue("0") double duplicateReportRate) {

	public CarrierProperties {
		if (webhookSecret == null || webhookSecret.isBlank()) {
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			webhookSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		}
		if (deliveryAfter.isNegative() || !retryAfter.isPositive() || !tolerance.isPositive() || lostReportRate < 0
				|| lostReportRate > 1 || duplicateReportRate < 0 || duplicateReportRate > 1) {
			throw new IllegalArgumentException("orderly.shipping.carrier settings out of range");
		}
	}
}
