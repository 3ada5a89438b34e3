package io.orderly.platform.messaging;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MessagingPropertiesTest {

	@Test
	void refusesATransportThisBuildHasNoSourceFor() {
		assertThat(properties("database").transport()).isEqualTo("database");
		assertThatIllegalArgumentException().isThrownBy(() -> properties("carrier-pigeon"))
			.withMessageContaining("orderly.messaging.transport=carrier-pigeon")
			.withMessageContaining("database");
	}

	private static MessagingProperties properties(String transport) {
		return new MessagingProperties(true, 1000, 500, 6, Duration.ofMillis(200), Duration.ofSeconds(60),
				Duration.ofSeconds(1), Duration.ofDays(7), Duration.ofDays(7), transport);
	}
}
