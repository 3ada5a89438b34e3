package io.orderly.links.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Counts redirects in memory and writes them in one batch per flush. A redirect only bumps a
 * counter; the flush swaps the whole tally for a fresh one (under a write lock that a click
 * holds as a read lock, so no click lands in a tally already written) and upserts it. A flush
 * that fails puts its counts back for the next one. A crash loses the clicks since the last
 * flush, at most one flush interval.
 */
public class ClickCounter {

	private static final Logger log = LoggerFactory.getLogger(ClickCounter.class);

	private static final class Tally {

		final AtomicLong clicks = new AtomicLong();

		final AtomicLong lastMillis = new AtomicLong();

		void add(long count, long atMillis) {
			clicks.addAndGet(count);
			lastMillis.accumulateAndGet(atMillis, Math::max);
		}
	}

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final ReadWriteLock swap = new ReentrantReadWriteLock();

	private final Counter flushed;

	private volatile Map<String, Tally> tallies = new ConcurrentHashMap<>();

	public ClickCounter(JdbcTemplate jdbc, Clock clock, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.flushed = Counter.builder("orderly.links.clicks.flushed").register(meters);
	}

	public void click(String code) {
		long now = clock.millis();
		swap.readLock().lock();
		try {
			tallies.computeIfAbsent(code, c -> new Tally()).add(1, now);
		}
		finally {
			swap.readLock().unlock();
		}
	}

	/** Clicks counted here and not yet written. */
	public long unflushed(String code) {
		Tally tally = tallies.get(code);
		return tally == null ? 0 : tally.clicks.get();
	}

	/** Writes the counted clicks in one batch; returns how many. */
	public synchronized long flush() {
		Map<String, Tally> full;
		swap.writeLock().lock();
		try {
			full = tallies;
			tallies = new ConcurrentHashMap<>();
		}
		finally {
			swap.writeLock().unlock();
		}
		if (full.isEmpty()) {
			return 0;
		}
		List<Object[]> rows = new ArrayList<>(full.size());
		long total = 0;
		for (Map.Entry<String, Tally> entry : full.entrySet()) {
			long clicks = entry.getValue().clicks.get();
			total += clicks;
			rows.add(new Object[] { entry.getKey(), clicks,
					Timestamp.from(Instant.ofEpochMilli(entry.getValue().lastMillis.get())) });
		}
		try {
			jdbc.batchUpdate("""
					insert into links.clicks (code, clicks, last_click_at) values (?, ?, ?)
					on conflict (code) do update set clicks = links.clicks.clicks + excluded.clicks,
					    last_click_at = greatest(links.clicks.last_click_at, excluded.last_click_at)""", rows);
			flushed.increment(total);
			return total;
		}
		catch (RuntimeException ex) {
			log.warn("Could not write {} clicks of {} links; they are kept for the next flush", total, full.size(), ex);
			swap.readLock().lock();
			try {
				full.forEach((code, tally) -> tallies.computeIfAbsent(code, c -> new Tally())
					.add(tally.clicks.get(), tally.lastMillis.get()));
			}
			finally {
				swap.readLock().unlock();
			}
			return 0;
		}
	}
}
