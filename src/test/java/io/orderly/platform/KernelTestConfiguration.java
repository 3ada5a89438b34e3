package io.orderly.platform;

import java.util.concurrent.atomic.AtomicReference;

import io.orderly.platform.idempotency.CounterController;
import io.orderly.platform.messaging.FaultInjection;
import io.orderly.platform.messaging.Recorder;
import io.orderly.platform.messaging.Subscription;
import io.orderly.platform.saga.SagaDefinition;
import io.orderly.platform.saga.TestSaga;
import io.orderly.platform.saga.TestSagaParticipant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

@TestConfiguration(proxyBeanMethods = false)
@Import({ Recorder.class, CounterController.class, TestSaga.class, TestSagaParticipant.class,
		io.orderly.TestEndpointsSecurity.class })
public class KernelTestConfiguration {

	@Bean
	@Primary
	MutableClock mutableClock() {
		return new MutableClock();
	}

	/** Lets a test crash the kernel at a point of its choice. */
	public static final class SwitchableFaults implements FaultInjection {

		private final AtomicReference<FaultInjection> current = new AtomicReference<>(NONE);

		public void set(FaultInjection faults) {
			current.set(faults);
		}

		public void clear() {
			current.set(NONE);
		}

		@Override
		public void at(String point) {
			current.get().at(point);
		}
	}

	@Bean
	@Primary
	SwitchableFaults switchableFaults() {
		return new SwitchableFaults();
	}

	@Bean
	Subscription recorderSubscription(Recorder recorder) {
		return recorder.subscription();
	}

	@Bean
	SagaDefinition<?> testSagaDefinition(TestSaga saga) {
		return saga.definition();
	}

	@Bean
	Subscription testSagaParticipant(TestSagaParticipant participant) {
		return participant.subscription();
	}
}
