package io.orderly.inventory;

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
 * The platform with a clock the test moves and a subscriber that records every inventory
 * reply. All inventory tests share this one context; each works on skus and orders of its own.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@IntegrationTest
@Import(InventoryTestConfiguration.class)
@TestPropertySource(properties = { "orderly.inventory.expiry-interval=100ms", "orderly.messaging.idle-wait=200ms" })
public @interface InventoryIntegrationTest {
}
