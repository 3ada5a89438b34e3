package io.orderly.order.internal;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The backlog bound follows the completion rate: what the platform finishes in the drain time. */
class OrderBacklogTest {

	private static final long QUARTER_SECOND = Duration.ofMillis(250).toNanos();

	private final OrderBacklog backlog = new OrderBacklog(null, new SimpleMeterRegistry(), 100, 2500, Duration.ofSeconds(10));

	private long feed(int perQuarterSecond, int seconds) {
		long limit = 0;
		for (int i = 0; i < seconds * 4; i++) {
			limit = backlog.limitAfter(perQuarterSecond, QUARTER_SECOND);
		}
		return limit;
	}

	@Test
	void startsAtTheMinimumAndGrowsToTenSecondsOfCompletions() {
		assertThat(backlog.limit()).isEqualTo(100);
		// 80 orders a second for long enough: the bound is what ten seconds complete.
		assertThat(feed(20, 30)).isBetween(790L, 800L);
	}

	@Test
	void fallsBackToTheMinimumWhenNothingCompletesAndNeverPassesTheMaximum() {
		feed(20, 30);
		assertThat(feed(0, 30)).isEqualTo(100);
		assertThat(feed(1000, 30)).isEqualTo(2500);
	}

	@Test
	void followsAChangeOfPaceWithinSeconds() {
		feed(20, 30);
		// The platform slows to 20 a second (a slow provider, say): within five seconds the bound has come most of the way.
		long after5s = feed(5, 5);
		assertThat(after5s).isLessThan(450);
		assertThat(feed(5, 25)).isBetween(199L, 210L);
	}
}
