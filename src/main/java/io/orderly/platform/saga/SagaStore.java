package io.orderly.platform.saga;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The SQL of the saga engine: instances and their history. */
@Component
class SagaStore {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final SagaProgress progress;

	SagaStore(JdbcClient jdbc, Clock clock, SagaProgress progress) {
		this.progress = progress;
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

	void update(Row row, Instant deadline, String lastError) {
		jdbc.sql("""
				update platform.sagas
				set state = :state, step = :step, compensation_step = :compensationStep, data = cast(:data as jsonb),
				    reason = :reason, attempts = :attempts, deadline_at = :deadline, last_error = :lastError,
				    updated_at = :now
				where id = :id""")
			.param("state", row.state().name())
			.param("step", row.step())
			.param("compensationStep", row.compensationStep())
			.param("data", row.data())
			.param("reason", row.reason())
			.param("attempts", row.attempts())
			.param("deadline", deadline == null ? null : Timestamp.from(deadline))
			.param("lastError", lastError)
			.param("now", Timestamp.from(clock.instant()))
			.param("id", row.id())
			.update();
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

	void history(String sagaId, String kind, String step, String detail) {
		jdbc.sql("""
				insert into platform.saga_history (saga_id, at, kind, step, detail)
				values (:id, :at, :kind, :step, :detail)""")
			.param("id", sagaId)
			.param("at", Timestamp.from(clock.instant()))
			.param("kind", kind)
			.param("step", step)
			.param("detail", detail)
			.update();
		progress.moved(sagaId);
	}

	List<NumberedHistoryEntry> historyAfter(String sagaId, long afterId) {
		return jdbc.sql("select id, at, kind, step, detail from platform.saga_history where saga_id = :id and id > :after order by id")
			.param("id", sagaId)
			.param("after", afterId)
			.query((rs, n) -> new NumberedHistoryEntry(rs.getLong("id"), new SagaHistoryEntry(rs.getTimestamp("at").toInstant(),
					rs.getString("kind"), rs.getString("step"), rs.getString("detail"))))
			.list();
	}

	List<SagaHistoryEntry> history(String sagaId) {
		return jdbc.sql("select at, kind, step, detail from platform.saga_history where saga_id = :id order by id")
			.param("id", sagaId)
			.query((rs, n) -> new SagaHistoryEntry(rs.getTimestamp("at").toInstant(), rs.getString("kind"),
					rs.getString("step"), rs.getString("detail")))
			.list();
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
