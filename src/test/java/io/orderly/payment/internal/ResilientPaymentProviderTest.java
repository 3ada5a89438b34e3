package io.orderly.payment.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orderly.payment.internal.ProviderUnavailable.Failure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The resilience layers around the provider: which failures are repeated, how long they wait, breaker and bulkhead. */
class ResilientPaymentProviderTest {

	private static final ProviderAuthorization AUTHORIZED = new ProviderAuthorization("auth_1", "order-1", "AUTHORIZED",
			null, 100, "EUR", 0, 0);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private static PaymentProperties.Psp settings(int attempts, int maxConcurrent, PaymentProperties.Breaker breaker) {
		return new PaymentProperties.Psp(null, "orderly", Duration.ofSeconds(2), Duration.ofSeconds(5), attempts,
				Duration.ofMillis(1), Duration.ofMillis(5), maxConcurrent, Duration.ZERO, breaker);
	}

	private static final PaymentProperties.Breaker LENIENT = new PaymentProperties.Breaker(Duration.ofSeconds(10), 100,
			50, Duration.ofSeconds(10), 3);

	private ResilientPaymentProvider resilient(PaymentProvider provider, int attempts) {
		return new ResilientPaymentProvider(provider, settings(attempts, 10, LENIENT), meters);
	}

	@Test
	void repeatsAnUnknownOutcomeWithTheSameKeyUntilItIsAnswered() {
		ScriptedProvider provider = new ScriptedProvider(
				() -> { throw unavailable(Failure.NO_RESPONSE, null); },
				() -> { throw unavailable(Failure.SERVER_ERROR, null); },
				() -> AUTHORIZED);
		ResilientPaymentProvider resilient = resilient(provider, 3);

		ProviderAuthorization result = resilient.authorize("authorize:order-1", "order-1", 100, "EUR", "tok_ok");

		assertThat(result).isEqualTo(AUTHORIZED);
		assertThat(provider.keys).containsExactly("authorize:order-1", "authorize:order-1", "authorize:order-1");
		assertThat(meters.get("resilience4j.retry.calls").tag("kind", "successful_with_retry").functionCounter().count())
			.isEqualTo(1);
	}

	@Test
	void givesUpAfterTheLastAttempt() {
		ScriptedProvider provider = new ScriptedProvider(
				() -> { throw unavailable(Failure.TIMEOUT, null); },
				() -> { throw unavailable(Failure.TIMEOUT, null); },
				() -> { throw unavailable(Failure.CONNECTION_REFUSED, null); },
				() -> AUTHORIZED);

		assertThatThrownBy(() -> resilient(provider, 3).authorize("k", "order-1", 100, "EUR", "tok_ok"))
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

		assertThatThrownBy(() -> resilient(refusing, 3).capture("k", "auth_1", 100)).isInstanceOf(ProviderRefused.class);
		assertThat(resilient(declining, 3).authorize("k", "order-2", 100, "EUR", "tok_declined")).isEqualTo(declined);
		assertThat(refusing.calls.get()).isEqualTo(1);
		assertThat(declining.calls.get()).isEqualTo(1);
	}

	@Test
	void waitsWithFullJitterGrowingPerAttemptAndHonoursRetryAfterUpToTheLongestWait() {
		IntervalBiFunction<Object> waits = ResilientPaymentProvider.waits(Duration.ofMillis(100), Duration.ofSeconds(2));
		for (int attempt = 1; attempt <= 6; attempt++) {
			long ceiling = Math.min(100L << (attempt - 1), 2000);
			LongSummaryStatistics seen = new LongSummaryStatistics();
			for (int i = 0; i < 2000; i++) {
				seen.accept(waits.apply(attempt, Either.left(unavailable(Failure.SERVER_ERROR, null))));
			}
			assertThat(seen.getMin()).as("attempt %d", attempt).isBetween(0L, ceiling / 10);
			assertThat(seen.getMax()).as("attempt %d", attempt).isBetween(ceiling * 9 / 10, ceiling);
		}
		assertThat(waits.apply(1, Either.left(unavailable(Failure.KEY_IN_USE, Duration.ofSeconds(1))))).isEqualTo(1000);
		assertThat(waits.apply(1, Either.left(unavailable(Failure.KEY_IN_USE, Duration.ofSeconds(30))))).isEqualTo(2000);
	}

	@Test
	void opensWhenMostCallsFailThenFailsFastWithoutCallingTheProviderAndIsNotRetried() {
		PaymentProperties.Breaker strict = new PaymentProperties.Breaker(Duration.ofSeconds(10), 4, 50,
				Duration.ofSeconds(10), 2);
		ScriptedProvider provider = new ScriptedProvider(
				() -> { throw unavailable(Failure.TIMEOUT, null); },
				() -> AUTHORIZED,
				() -> { throw unavailable(Failure.SERVER_ERROR, null); },
				() -> { throw unavailable(Failure.CONNECTION_REFUSED, null); });
		ResilientPaymentProvider resilient = new ResilientPaymentProvider(provider, settings(3, 10, strict), meters);

		// 1st call: timeout, then authorized on the repeat; 2nd: server error, refused connection, then the breaker opens.
		assertThat(resilient.authorize("a", "order-1", 100, "EUR", "tok_ok")).isEqualTo(AUTHORIZED);
		assertThatThrownBy(() -> resilient.authorize("b", "order-2", 100, "EUR", "tok_ok"))
			.isInstanceOfSatisfying(ProviderUnavailable.class, ex -> assertThat(ex.failure()).isEqualTo(Failure.CIRCUIT_OPEN));
		assertThat(resilient.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(provider.calls.get()).isEqualTo(4);

		assertThatThrownBy(() -> resilient.capture("c", "auth_1", 100))
			.isInstanceOfSatisfying(ProviderUnavailable.class, ex -> assertThat(ex.failure().nothingDone()).isTrue());
		assertThat(provider.calls.get()).isEqualTo(4);
		assertThat(meters.get("resilience4j.circuitbreaker.not.permitted.calls").counter().count()).isEqualTo(2);
	}

	@Test
	void refusalsAndDeclinesDoNotOpenTheBreaker() {
		PaymentProperties.Breaker strict = new PaymentProperties.Breaker(Duration.ofSeconds(10), 4, 50,
				Duration.ofSeconds(10), 2);
		List<Supplier<ProviderAuthorization>> refusals = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			refusals.add(() -> { throw new ProviderRefused("capture", 409, "invalid_state", null); });
		}
		ScriptedProvider provider = new ScriptedProvider(refusals);
		ResilientPaymentProvider resilient = new ResilientPaymentProvider(provider, settings(3, 10, strict), meters);
		for (int i = 0; i < 20; i++) {
			assertThatThrownBy(() -> resilient.capture("k", "auth_1", 100)).isInstanceOf(ProviderRefused.class);
		}
		assertThat(resilient.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void staysOpenForARandomTimeAndLetsOnlyAFewProbesThroughWhenHalfOpen() throws Exception {
		PaymentProperties.Breaker strict = new PaymentProperties.Breaker(Duration.ofSeconds(10), 4, 50,
				Duration.ofSeconds(10), 2);
		CountDownLatch release = new CountDownLatch(1);
		Supplier<ProviderAuthorization> slow = answersOnceReleased(release);
		ScriptedProvider provider = new ScriptedProvider(slow, slow, () -> AUTHORIZED);
		ResilientPaymentProvider resilient = new ResilientPaymentProvider(provider, settings(1, 10, strict), meters);

		Set<Long> openFor = new HashSet<>();
		for (int i = 0; i < 100; i++) {
			long millis = resilient.breaker().getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
			assertThat(millis).isBetween(5_000L, 15_000L);
			openFor.add(millis);
		}
		assertThat(openFor).hasSizeGreaterThan(50);

		resilient.breaker().transitionToOpenState();
		resilient.breaker().transitionToHalfOpenState();
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<ProviderAuthorization> first = threads.submit(() -> resilient.authorize("p1", "o1", 100, "EUR", "tok_ok"));
			Future<ProviderAuthorization> second = threads.submit(() -> resilient.authorize("p2", "o2", 100, "EUR", "tok_ok"));
			await().atMost(Duration.ofSeconds(10)).until(() -> provider.calls.get() == 2);
			assertThatThrownBy(() -> resilient.authorize("p3", "o3", 100, "EUR", "tok_ok")).isInstanceOfSatisfying(
					ProviderUnavailable.class, ex -> assertThat(ex.failure()).isEqualTo(Failure.CIRCUIT_OPEN));
			release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(AUTHORIZED);
			assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(AUTHORIZED);
		}
		assertThat(resilient.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(provider.calls.get()).isEqualTo(2);
	}

	@Test
	void boundsTheCallsInFlightAndTurnsAwayTheRestWithoutCallingTheProvider() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Supplier<ProviderAuthorization> slow = answersOnceReleased(release);
		ScriptedProvider provider = new ScriptedProvider(slow, slow, () -> AUTHORIZED);
		ResilientPaymentProvider resilient = new ResilientPaymentProvider(provider, settings(3, 2, LENIENT), meters);
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<ProviderAuthorization> first = threads.submit(() -> resilient.capture("c1", "a1", 100));
			Future<ProviderAuthorization> second = threads.submit(() -> resilient.capture("c2", "a2", 100));
			await().atMost(Duration.ofSeconds(10)).until(() -> provider.calls.get() == 2);
			assertThatThrownBy(() -> resilient.capture("c3", "a3", 100)).isInstanceOfSatisfying(ProviderUnavailable.class,
					ex -> assertThat(ex.failure()).isEqualTo(Failure.BULKHEAD_FULL));
			release.countDown();
			first.get(10, TimeUnit.SECONDS);
			second.get(10, TimeUnit.SECONDS);
		}
		assertThat(provider.calls.get()).isEqualTo(2);
		assertThat(resilient.capture("c3", "a3", 100)).isEqualTo(AUTHORIZED);
	}

	/** A call that hangs until {@code release} opens, then authorizes. */
	private static Supplier<ProviderAuthorization> answersOnceReleased(CountDownLatch release) {
		return () -> {
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return AUTHORIZED;
		};
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
			this(List.of(script));
		}

		ScriptedProvider(List<Supplier<ProviderAuthorization>> script) {
			this.script = List.copyOf(script);
		}

		private ProviderAuthorization next(String key) {
			synchronized (keys) {
				keys.add(key);
			}
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
