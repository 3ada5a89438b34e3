package io.orderly.psp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** The webhook secret is never one written in the code, and the simulator and the payment module of a process agree on it. */
class WebhookSecretTest {

	private final PspPortEnvironmentPostProcessor processor = new PspPortEnvironmentPostProcessor();

	private MockEnvironment settled(MockEnvironment environment) {
		environment.setProperty("orderly.modules", "order");
		processor.postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

	@Test
	void unsetItIsRandomPerProcessAndTheSameForBoth() {
		MockEnvironment one = settled(new MockEnvironment());
		MockEnvironment another = settled(new MockEnvironment());

		String secret = one.getProperty(PspPortEnvironmentPostProcessor.SIGNING_SECRET);
		assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
		assertThat(one.getProperty(PspPortEnvironmentPostProcessor.CHECKING_SECRET)).isEqualTo(secret);
		assertThat(another.getProperty(PspPortEnvironmentPostProcessor.SIGNING_SECRET)).isNotEqualTo(secret);
	}

	@Test
	void setOnOneSideItIsTheOtherSidesToo() {
		MockEnvironment environment = new MockEnvironment().withProperty(PspPortEnvironmentPostProcessor.CHECKING_SECRET, "s3cret");

		settled(environment);

		assertThat(environment.getProperty(PspPortEnvironmentPostProcessor.SIGNING_SECRET)).isEqualTo("s3cret");
	}
}
