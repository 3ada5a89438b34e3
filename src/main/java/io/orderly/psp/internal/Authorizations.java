package io.orderly.psp.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The simulator's books: authorizations and their operations, in schema {@code psp}. */
@Repository("pspAuthorizations")
@Conditional(PspEnabled.class)
class Authorizations {

	private static final String COLUMNS = """
			id, reference, amount_minor, currency, token, status, decline_code, captured_minor, refunded_minor,
			created_at, updated_at""";

	private final JdbcClient jdbc;

	Authorizations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(Authorization a) {
		jdbc.sql("insert into psp.authorizations (" + COLUMNS + """
				) values (:id, :reference, :amount, :currency, :token, :status, :declineCode, :captured, :refunded,
				          :createdAt, :updatedAt)""")
			.params(params(a))
			.update();
	}

	void update(Authorization a) {
		jdbc.sql("""
				update psp.authorizations
				set status = :status, captured_minor = :captured, refunded_minor = :refunded, updated_at = :updatedAt
				where id = :id""")
			.params(params(a))
			.update();
	}

	Optional<Authorization> find(String id) {
		return jdbc.sql("select " + COLUMNS + " from psp.authorizations where id = :id")
			.param("id", id)
			.query(Authorizations::authorization)
			.optional();
	}

	/** The authorization, locked until the transaction ends: its operations run one at a time. */
	Optional<Authorization> lock(String id) {
		return jdbc.sql("select " + COLUMNS + " from psp.authorizations where id = :id for update")
			.param("id", id)
			.query(Authorizations::authorization)
			.optional();
	}

	List<Authorization> byReference(String reference) {
		return jdbc.sql("select " + COLUMNS + " from psp.authorizations where reference = :reference order by created_at, id")
			.param("reference", reference)
			.query(Authorizations::authorization)
			.list();
	}

	void record(Operation o) {
		jdbc.sql("""
				insert into psp.operations (id, authorization_id, type, outcome, amount_minor, idempotency_key, created_at)
				values (:id, :authorizationId, :type, :outcome, :amount, :key, :createdAt)""")
			.param("id", o.id())
			.param("authorizationId", o.authorizationId())
			.param("type", o.type().name())
			.param("outcome", o.outcome())
			.param("amount", o.amountMinor())
			.param("key", o.idempotencyKey())
			.param("createdAt", Timestamp.from(o.createdAt()))
			.update();
	}

	/** The operations of each authorization, oldest first. */
	Map<String, List<Operation>> operationsOf(Collection<String> authorizationIds) {
		Map<String, List<Operation>> operations = new LinkedHashMap<>();
		authorizationIds.forEach(id -> operations.put(id, new ArrayList<>()));
		if (authorizationIds.isEmpty()) {
			return operations;
		}
		jdbc.sql("""
				select id, authorization_id, type, outcome, amount_minor, idempotency_key, created_at
				from psp.operations where authorization_id in (:ids) order by created_at, id""")
			.param("ids", authorizationIds)
			.query((rs, row) -> new Operation(rs.getString("id"), rs.getString("authorization_id"),
					OperationType.valueOf(rs.getString("type")), rs.getString("outcome"), rs.getLong("amount_minor"),
					rs.getString("idempotency_key"), rs.getTimestamp("created_at").toInstant()))
			.list()
			.forEach(o -> operations.get(o.authorizationId()).add(o));
		return operations;
	}

	private static Map<String, Object> params(Authorization a) {
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("id", a.id());
		params.put("reference", a.reference());
		params.put("amount", a.amountMinor());
		params.put("currency", a.currency());
		params.put("token", a.token());
		params.put("status", a.status().name());
		params.put("declineCode", a.declineCode());
		params.put("captured", a.capturedMinor());
		params.put("refunded", a.refundedMinor());
		params.put("createdAt", Timestamp.from(a.createdAt()));
		params.put("updatedAt", Timestamp.from(a.updatedAt()));
		return params;
	}

	private static Authorization authorization(ResultSet rs, int row) throws SQLException {
		return new Authorization(rs.getString("id"), rs.getString("reference"), rs.getLong("amount_minor"),
				rs.getString("currency"), rs.getString("token"), AuthorizationStatus.valueOf(rs.getString("status")),
				rs.getString("decline_code"), rs.getLong("captured_minor"), rs.getLong("refunded_minor"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}
}
