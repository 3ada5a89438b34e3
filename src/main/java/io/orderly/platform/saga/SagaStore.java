package io.orderly.platform.saga;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.orderly.platform.messaging.MessageCodec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL of the saga engine: instances and their history. */
@Component
class SagaStore {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final SagaProgress progress;

	private final MessageCodec codec;

	/** At most this many entries share a history row (an entry's id is its row's id times this, plus its place). */
	static final int ENTRIES_PER_ROW = 16;

	/** One entry of a history row, as its {@code entries} array holds it. */
	record Entry(String kind, String step, String detail) {
	}

	/** The entries recorded by the operation running on this thread, per saga; null when none records. */
	private final ThreadLocal<Map<String, List<Entry>>> recording = new ThreadLocal<>();

	SagaStore(JdbcClient jdbc, Clock clock, SagaProgress progress, MessageCodec codec) {
		this.progress = progress;
		this.codec = codec;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** A saga row as the engine works with it: step indexes, not names. */
	record Row(String id, String definition, SagaState state, int step, Integer compensationStep, String data,
			String reason, int attempts) {
	}

	void insert(String id, String definition, String data, Instant deadline) {
		Instant now = clock.instant();
		jdbc.sql("""
				insert into platform.sagas (id, definition, state, step, data, deadline_at, created_at, updated_at)
				values (:id, :definition, 'RUNNING', 0, cast(:data as jsonb), :deadline, :now, :now)""")
			.param("id", id)
			.param("definition", definition)
			.param("data", data)
			.param("deadline", Timestamp.from(deadline))
			.param("now", Timestamp.from(now))
			.update();
	}

	Optional<Row> lock(String id) {
		return jdbc.sql("""
				select id, definition, state, step, compensation_step, data::text as data, reason, attempts
				from platform.sagas where id = :id for update""")
			.param("id", id)
			.query(SagaStore::row)
			.optional();
	}

	/** Writes the saga's state; its data stays as it is. */
	void update(Row row, Instant deadline, String lastError) {
		update(row, false, deadline, lastError);
	}

	/** Writes the saga's state, and its data only if {@code dataChanged} (the data is a jsonb PostgreSQL parses). */
	void update(Row row, boolean dataChanged, Instant deadline, String lastError) {
		jdbc.sql("""
				update platform.sagas
				set state = :state, step = :step, compensation_step = :compensationStep,
				    data = coalesce(cast(:data as jsonb), data),
				    reason = :reason, attempts = :attempts, deadline_at = :deadline, last_error = :lastError,
				    updated_at = :now
				where id = :id""")
			.param("state", row.state().name())
			.param("step", row.step())
			.param("compensationStep", row.compensationStep())
			.param("data", dataChanged ? row.data() : null, Types.VARCHAR)
			.param("reason", row.reason())
			.param("attempts", row.attempts())
			.param("deadline", deadline == null ? null : Timestamp.from(deadline))
			.param("lastError", lastError)
			.param("now", Timestamp.from(clock.instant()))
			.param("id", row.id())
			.update();
	}

	/**
	 * Where a cancelled saga's forward path stood (the step it ran, or the number of steps when it
	 * had completed), kept while it compensates; null clears it.
	 */
	void resumeStep(String id, Integer step) {
		jdbc.sql("update platform.sagas set resume_step = :step where id = :id")
			.param("step", step, Types.INTEGER)
			.param("id", id)
			.update();
	}

	/** Where the saga's forward path stood when it was cancelled; empty if it was not cancelled. */
	Optional<Integer> resumeStep(String id) {
		return jdbc.sql("select resume_step from platform.sagas where id = :id and resume_step is not null")
			.param("id", id)
			.query(Integer.class)
			.optional();
	}

	/** Locks up to {@code limit} sagas whose deadline has passed; others skip them. */
	List<String> lockDue(int limit) {
		return jdbc.sql("""
				select id from platform.sagas
				where state in ('RUNNING', 'COMPENSATING') and deadline_at <= :now
				order by deadline_at limit :limit for update skip locked""")
			.param("now", Timestamp.from(clock.instant()))
			.param("limit", limit)
			.query(String.class)
			.list();
	}

	/**
	 * Runs one saga operation (a reply, a deadline, a start, a cancel, an operator's action) so
	 * that the history entries it records are appended when it returns, one row per saga holding
	 * them in order: a step (the reply and the next command) writes one row. An operation that
	 * throws writes none (its transaction or savepoint is rolled back anyway). Nested operations
	 * record into the outer one.
	 */
	<T> T recording(Supplier<T> operation) {
		if (recording.get() != null) {
			return operation.get();
		}
		Map<String, List<Entry>> recorded = new LinkedHashMap<>();
		recording.set(recorded);
		T result;
		try {
			result = operation.get();
		}
		finally {
			recording.remove();
		}
		recorded.forEach(this::append);
		return result;
	}

	void recording(Runnable operation) {
		recording(() -> {
			operation.run();
			return null;
		});
	}

	/** Records a history entry: with the operation's others if one is recording, else on its own row. */
	void history(String sagaId, String kind, String step, String detail) {
		Entry entry = new Entry(kind, step, detail);
		Map<String, List<Entry>> recorded = recording.get();
		if (recorded != null) {
			recorded.computeIfAbsent(sagaId, id -> new ArrayList<>()).add(entry);
			return;
		}
		append(sagaId, List.of(entry));
	}

	private void append(String sagaId, List<Entry> entries) {
		for (int from = 0; from < entries.size(); from += ENTRIES_PER_ROW) {
			jdbc.sql("insert into platform.saga_history (saga_id, at, entries) values (:id, :at, cast(:entries as jsonb))")
				.param("id", sagaId)
				.param("at", Timestamp.from(clock.instant()))
				.param("entries", codec.write(entries.subList(from, Math.min(entries.size(), from + ENTRIES_PER_ROW))))
				.update();
		}
		progress.moved(sagaId);
	}

	/**
	 * The entries of saga {@code sagaId} after entry {@code afterId} (0: all), in order; an
	 * entry's id is its row's id times {@value #ENTRIES_PER_ROW} plus its place in the row, so
	 * ids grow with every entry of every saga.
	 */
	List<NumberedHistoryEntry> historyAfter(String sagaId, long afterId) {
		return jdbc.sql("""
				select h.id * %d + e.place - 1 as entry_id, h.at, e.entry ->> 'kind' as kind, e.entry ->> 'step' as step,
				       e.entry ->> 'detail' as detail
				from platform.saga_history h
				cross join lateral jsonb_array_elements(coalesce(h.entries, jsonb_build_array(jsonb_build_object(
				    'kind', h.kind, 'step', h.step, 'detail', h.detail)))) with ordinality as e (entry, place)
				where h.saga_id = :id and h.id >= :fromRow and h.id * %d + e.place - 1 > :after
				order by h.id, e.place""".formatted(ENTRIES_PER_ROW, ENTRIES_PER_ROW))
			.param("id", sagaId)
			.param("fromRow", Math.floorDiv(afterId, ENTRIES_PER_ROW))
			.param("after", afterId)
			.query((rs, n) -> new NumberedHistoryEntry(rs.getLong("entry_id"), new SagaHistoryEntry(
					rs.getTimestamp("at").toInstant(), rs.getString("kind"), rs.getString("step"), rs.getString("detail"))))
			.list();
	}

	List<SagaHistoryEntry> history(String sagaId) {
		return historyAfter(sagaId, 0).stream().map(NumberedHistoryEntry::entry).toList();
	}

	Optional<ResultSetView> find(String id) {
		return jdbc.sql("select * from platform.sagas where id = :id").param("id", id).query(SagaStore::view).optional();
	}

	List<ResultSetView> list(SagaState state, String after, int limit) {
		return jdbc.sql("""
				select * from platform.sagas where state = :state and (cast(:after as text) is null or id > :after)
				order by id limit :limit""")
			.param("state", state.name())
			.param("after", after)
			.param("limit", limit)
			.query(SagaStore::view)
			.list();
	}

	long count(SagaState state) {
		return jdbc.sql("select count(*) from platform.sagas where state = :state")
			.param("state", state.name())
			.query(Long.class)
			.single();
	}

	/** The stored columns, before step indexes are turned into names. */
	record ResultSetView(Row row, Instant deadlineAt, String lastError, Instant createdAt, Instant updatedAt) {
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		int compensation = rs.getInt("compensation_step");
		return new Row(rs.getString("id"), rs.getString("definition"), SagaState.valueOf(rs.getString("state")),
				rs.getInt("step"), rs.wasNull() ? null : compensation, rs.getString("data"), rs.getString("reason"),
				rs.getInt("attempts"));
	}

	private static ResultSetView view(ResultSet rs, int n) throws SQLException {
		Timestamp deadline = rs.getTimestamp("deadline_at");
		return new ResultSetView(row(rs, n), deadline == null ? null : deadline.toInstant(), rs.getString("last_error"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}
}
