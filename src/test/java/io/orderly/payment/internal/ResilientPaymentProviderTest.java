package io.orderly.payment.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderly.payment.internal.ProviderUnavailable.Failure;
import io.orderly.platform.messaging.Backoff;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retry decorator: which failures it repeats, how often, and how long it waits. */
class PaymentProviderRetryTest {

	private static final ProviderAuthorization AUTHORIZED = new ProviderAuthorization("auth_1", "order-1", "AUTHORIZED",
			null, 100, "EUR", 0, 0);

	private final List<Duration> pauses = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void repeatsAnUnknownOutcomeWithTheSameKeyUntilItIsAnswered() {
		ScriptedProvider provider = new ScriptedProvider(
				() -> { throw unavailable(Failure.NO_RESPONSE, null); },
				() -> { throw unavailable(Failure.SERVER_ERROR, null); },
				() -> AUTHORIZED);

		ProviderAuthorization result = retrying(provider, 3).authorize("authorize:order-1", "order-1", 100, "EUR", "tok_ok");

		assertThat(result).isEqualTo(AUTHORIZED);
		assertThat(provider.keys).containsExactly("authorize:order-1", "authorize:order-1", "authorize:order-1");
		assertThat(pauses).hasSize(2);
		assertThat(meters.counter("orderly.payment.psp.retries", "operation", "authorize").count()).isEqualTo(2);
	}

	@Test
	void givesUpAfterTheLastAttempt() {
		ScriptedProvider provider = new ScriptedProvider(
				() -> { throw unavailable(Failure.TIMEOUT, null); },
				() -> { throw unavailable(Failure.TIMEOUT, null); },
				() -> { throw unavailable(Failure.CONNECTION_REFUSED, null); },
				() -> AUTHORIZED);

		assertThatThrownBy(() -> retrying(provider, 3).authorize("k", "order-1", 100, "EUR", "tok_ok"))
			.isInstanceOfSatisfying(ProviderUnavailable.class,
					ex -> assertThat(ex.failure()).isEqualTo(Failure.CONNECTION_REFUSED));
		assertThat(provider.calls.get()).isEqualTo(3);
	}

	@Test
	void neverRepeatsARefusalOrADecline() {
		ScriptedProvider refusing = new ScriptedProvider(
				() -> { throw new ProviderRefused("capture", 409, "invalid_state", null); }, () -> AUTHORIZED);
		ProviderAuthorization declined = new ProviderAuthorization("auth_2", "order-2", "DECLINED", "card_declined", 100,
				"EUR", 0, 0);
		ScriptedProvider declining = new ScriptedProvider(() -> declined, () -> AUTHORIZED);

		assertThatThrownBy(() -> retrying(refusing, 3).capture("k", "auth_1", 100)).isInstanceOf(ProviderRefused.class);
		assertThat(retrying(declining, 3).authorize("k", "order-2", 100, "EUR", "tok_declined")).isEqualTo(declined);
		assertThat(refusing.calls.get()).isEqualTo(1);
		assertThat(declining.calls.get()).isEqualTo(1);
		assertThat(pauses).isEmpty();
	}

	@Test
	void waitsWithGrowingJitteredBackoffAndHonoursRetryAfterUpToTheLongestWait() {
		ScriptedProvider provider = new ScriptedProvider(
				() -> { throw unavailable(Failure.SERVER_ERROR, null); },
				() -> { throw unavailable(Failure.SERVER_ERROR, null); },
				() -> { throw unavailable(Failure.KEY_IN_USE, Duration.ofSeconds(1)); },
				() -> { throw unavailable(Failure.KEY_IN_USE, Duration.ofSeconds(30)); },
				() -> AUTHORIZED);

		retrying(provider, 5).voidAuthorization("void:order-1", "auth_1");

		assertThat(pauses.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
		assertThat(pauses.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
		assertThat(pauses.get(2)).isEqualTo(Duration.ofSeconds(1));
		assertThat(pauses.get(3)).isEqualTo(Duration.ofSeconds(2));
	}

	private RetryingPaymentProvider retrying(PaymentProvider provider, int attempts) {
		return new RetryingPaymentProvider(provider, attempts, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)),
				pauses::add, new PspCallMetrics(meters));
	}

	private static ProviderUnavailable unavailable(Failure failure, Duration retryAfter) {
		return new ProviderUnavailable("test", failure, null, retryAfter, null);
	}

	/** Answers each call with the next scripted step, recording the keys it was given. */
	private static final class ScriptedProvider implements PaymentProvider {

		private final List<Supplier<ProviderAuthorization>> script;

		final AtomicInteger calls = new AtomicInteger();

		final List<String> keys = new ArrayList<>();

		@SafeVarargs
		ScriptedProvider(Supplier<ProviderAuthorization>... script) {
			this.script = List.of(script);
		}

		private ProviderAuthorization next(String key) {
			keys.add(key);
			return script.get(calls.getAndIncrement()).get();
		}

		@Override
		public ProviderAuthorization authorize(String key, String reference, long amountMinor, String currency, String token) {
			return next(key);
		}

		@Override
		public ProviderAuthorization capture(String key, String authorizationId, long amountMinor) {
			return next(key);
		}

		@Override
		public ProviderAuthorization voidAuthorization(String key, String authorizationId) {
			return next(key);
		}

		@Override
		public ProviderAuthorization refund(String key, String authorizationId, long amountMinor) {
			return next(key);
		}

		@Override
		public Optional<ProviderAuthorization> find(String authorizationId) {
			return Optional.of(next(null));
		}

		@Override
		public List<ProviderAuthorization> findByReference(String reference) {
			return List.of(next(null));
		}
	}
}
