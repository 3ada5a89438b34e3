package io.orderly.payment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.orderly.IntegrationTest;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The platform with a recorder of the payment replies and a clock the test moves. Provider
 * calls give up sooner than in production (2 s read timeout, short backoff) so fault tests
 * stay quick, and the watch runs only when a test asks. All payment tests share this context.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@IntegrationTest
@Import(PaymentTestConfiguration.class)
@TestPropertySource(properties = { "orderly.payment.psp.connect-timeout=1s", "orderly.payment.psp.read-timeout=2s",
		"orderly.payment.psp.backoff-base=20ms", "orderly.payment.psp.backoff-max=200ms",
		"orderly.payment.watch.interval=1h", "orderly.payment.watch.duration=10m",
		"orderly.messaging.idle-wait=200ms",
		// These tests see the provider's own failures: no waiting out an outage, no breaker
		// (PaymentOutageIntegrationTest covers both).
		"orderly.payment.pending.max-wait=0", "orderly.payment.psp.breaker.minimum-calls=1000000",
		// Nor the provider's webhooks, which would fix on their own what these tests break on purpose
		// (PspWebhooksIntegrationTest covers them).
		"orderly.psp.webhooks.enabled=false" })
public @interface PaymentIntegrationTest {
}
