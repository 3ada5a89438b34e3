package io.orderly.notification.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A recipient's quiet hours, as wall-clock times in their zone: from {@code start} up to (not
 * including) {@code end}, across midnight when {@code end} is earlier than {@code start}
 * (22:00-07:00). Equal times mean no quiet hours.
 *
 * <p>Across a daylight-saving change the hours follow the wall clock: a night that loses an hour
 * is an hour shorter, one that gains an hour an hour longer. An end that falls in the hour the
 * clocks skip is moved on by that hour (02:30 becomes 03:30 summer time), never earlier; one that
 * falls in the hour that repeats is its first occurrence.
 */
record QuietHours(LocalTime start, LocalTime end) {

	QuietHours {
		if (start == null || end == null) {
			throw new IllegalArgumentException("Quiet hours need a start and an end");
		}
	}

	/** When a message that is due at {@code now} may go: empty if now, else the end of these quiet hours. */
	Optional<Instant> heldUntil(Instant now, ZoneId zone) {
		if (start.equals(end)) {
			return Optional.empty();
		}
		LocalDateTime local = LocalDateTime.ofInstant(now, zone);
		LocalDate today = local.toLocalDate();
		// The quiet period that could hold now began today or, across midnight, yesterday.
		for (LocalDate day : new LocalDate[] { today, today.minusDays(1) }) {
			Instant from = at(day, start, zone);
			Instant until = at(end.isAfter(start) ? day : day.plusDays(1), end, zone);
			if (!now.isBefore(from) && now.isBefore(until)) {
				return Optional.of(until);
			}
		}
		return Optional.empty();
	}

	private static Instant at(LocalDate day, LocalTime time, ZoneId zone) {
		// ZonedDateTime.of moves a time in a skipped hour on by the gap and takes a repeated one's earlier offset.
		return ZonedDateTime.of(day, time, zone).toInstant();
	}
}
