package io.orderly.notification.internal;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Quiet hours on fixed instants, across midnight and across both daylight-saving nights of Berlin in 2026. */
class QuietHoursTest {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private final QuietHours night = new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0));

	@Test
	void aMessageInTheEveningIsHeldUntilSevenInTheMorningLocalTime() {
		// 23:30 in Berlin in winter (UTC+1) is 22:30Z; 07:00 the next day is 06:00Z.
		assertThat(night.heldUntil(Instant.parse("2026-01-14T22:30:00Z"), BERLIN))
			.contains(Instant.parse("2026-01-15T06:00:00Z"));
		// After midnight, the same night's end.
		assertThat(night.heldUntil(Instant.parse("2026-01-15T02:00:00Z"), BERLIN))
			.contains(Instant.parse("2026-01-15T06:00:00Z"));
	}

	@Test
	void theBoundariesAreQuietFromTheStartAndFreeFromTheEnd() {
		assertThat(night.heldUntil(Instant.parse("2026-01-14T21:00:00Z"), BERLIN))
			.contains(Instant.parse("2026-01-15T06:00:00Z"));
		assertThat(night.heldUntil(Instant.parse("2026-01-15T06:00:00Z"), BERLIN)).isEmpty();
		assertThat(night.heldUntil(Instant.parse("2026-01-14T20:59:59Z"), BERLIN)).isEmpty();
		assertThat(night.heldUntil(Instant.parse("2026-01-15T12:00:00Z"), BERLIN)).isEmpty();
	}

	@Test
	void theNightTheClocksGoForwardEndsAtSevenSummerTimeAnHourEarlierInUtc() {
		// 29 March 2026: 02:00 CET becomes 03:00 CEST. 23:00 CET on the 28th is 22:00Z; 07:00 CEST is 05:00Z.
		assertThat(night.heldUntil(Instant.parse("2026-03-28T22:00:00Z"), BERLIN))
			.contains(Instant.parse("2026-03-29T05:00:00Z"));
		// 04:59Z is 06:59 CEST: still quiet. 05:00Z is 07:00 CEST: free.
		assertThat(night.heldUntil(Instant.parse("2026-03-29T04:59:00Z"), BERLIN))
			.contains(Instant.parse("2026-03-29T05:00:00Z"));
		assertThat(night.heldUntil(Instant.parse("2026-03-29T05:00:00Z"), BERLIN)).isEmpty();
	}

	@Test
	void theNightTheClocksGoBackEndsAtSevenWinterTimeAnHourLaterInUtc() {
		// 25 October 2026: 03:00 CEST becomes 02:00 CET. 23:00 CEST on the 24th is 21:00Z; 07:00 CET is 06:00Z.
		assertThat(night.heldUntil(Instant.parse("2026-10-24T21:00:00Z"), BERLIN))
			.contains(Instant.parse("2026-10-25T06:00:00Z"));
		// 05:30Z is 06:30 CET: not yet, though by summer time it would be 07:30.
		assertThat(night.heldUntil(Instant.parse("2026-10-25T05:30:00Z"), BERLIN))
			.contains(Instant.parse("2026-10-25T06:00:00Z"));
	}

	@Test
	void anEndInTheSkippedHourIsMovedOnNeverEarlier() {
		QuietHours early = new QuietHours(LocalTime.of(1, 0), LocalTime.of(2, 30));
		// 01:30 CET on 29 March is 00:30Z; 02:30 does not exist that night: the hours end at 03:30 CEST, 01:30Z.
		assertThat(early.heldUntil(Instant.parse("2026-03-29T00:30:00Z"), BERLIN))
			.contains(Instant.parse("2026-03-29T01:30:00Z"));
	}

	@Test
	void aDaytimeQuietPeriodAndEqualTimes() {
		QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(13, 0));
		assertThat(lunch.heldUntil(Instant.parse("2026-06-01T10:30:00Z"), BERLIN))
			.contains(Instant.parse("2026-06-01T11:00:00Z"));
		assertThat(lunch.heldUntil(Instant.parse("2026-06-01T11:00:00Z"), BERLIN)).isEmpty();
		assertThat(new QuietHours(LocalTime.NOON, LocalTime.NOON).heldUntil(Instant.parse("2026-06-01T10:00:00Z"), BERLIN))
			.isEmpty();
	}
}
