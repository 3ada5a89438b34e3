package io.orderly.order;

import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;

/**
 * Every checkout test of {@link CheckoutIntegrationTest} again, with the whole platform on the
 * Kafka transport (an in-JVM KRaft broker): the modules' code is the same on both transports,
 * and so are the guarantees (no oversell, no double charge against the PSP's records, no lost
 * order, a balanced ledger, the cancel against dispatch race decided once).
 */
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@TestPropertySource(properties = { "orderly.messaging.transport=kafka", "orderly.messaging.kafka.partitions=3" })
class KafkaCheckoutIntegrationTest extends CheckoutIntegrationTest {
}
