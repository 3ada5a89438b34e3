package io.orderly.links.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.orderly.platform.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinkCodesTest {

	@Test
	void concurrentlyRunningGeneratorsNeverMakeTheSameCode() throws Exception {
		int generators = 8;
		int threadsPerGenerator = 2;
		int codesPerThread = 64_000;
		Set<String> codes = ConcurrentHashMap.newKeySet();
		ExecutorService pool = Executors.newFixedThreadPool(generators * threadsPerGenerator);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int g = 0; g < generators; g++) {
				// Generator numbers as the sequence hands them out, one per instance.
				LinkCodes generator = new LinkCodes(java.time.Clock.systemUTC(), g + 1);
				for (int t = 0; t < threadsPerGenerator; t++) {
					running.add(pool.submit(() -> {
						for (int i = 0; i < codesPerThread; i++) {
							codes.add(generator.next());
						}
					}));
				}
			}
			for (Future<?> future : running) {
				future.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(codes).hasSize(generators * threadsPerGenerator * codesPerThread);
		assertThat(codes).allSatisfy(code -> assertThat(code).matches("[0-9A-Za-z]{7,11}"));
	}

	@Test
	void neverRepeatsACodeWhenTheClockStepsBack() {
		MutableClock clock = new MutableClock();
		LinkCodes generator = new LinkCodes(clock, 1);
		Set<String> codes = new java.util.HashSet<>();
		for (int i = 0; i < 3_000; i++) {
			assertThat(codes.add(generator.next())).isTrue();
		}
		clock.advance(Duration.ofSeconds(-5));
		for (int i = 0; i < 3_000; i++) {
			assertThat(codes.add(generator.next())).as("code %d after the clock stepped back", i).isTrue();
		}
	}

	@Test
	void codesAreBase62OfTheNumberPaddedToSevenCharacters() {
		assertThat(LinkCodes.base62(0)).isEqualTo("0000000");
		assertThat(LinkCodes.base62(61)).isEqualTo("000000z");
		assertThat(LinkCodes.base62(62)).isEqualTo("0000010");
		assertThat(LinkCodes.base62(Long.MAX_VALUE)).isEqualTo("AzL8n0Y58m7");
	}
}
