package io.orderly.platform;

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
 * The platform with the kernel's test subscriptions and endpoints, a clock the test moves,
 * three attempts per message and retry delays of an hour (so a retry happens only when a
 * test moves the clock). All kernel tests share this one context.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@IntegrationTest
@Import(KernelTestConfiguration.class)
@TestPropertySource(properties = { "orderly.messaging.max-attempts=3", "orderly.messaging.backoff-base=1h",
		"orderly.messaging.backoff-max=2h", "orderly.messaging.idle-wait=200ms", "orderly.idempotency.ttl=1h",
		"orderly.saga.max-compensation-attempts=5", "orderly.saga.compensation-backoff-max=60s",
		"orderly.http.admission.body-deadline=2s" })
public @interface KernelIntegrationTest {
}
