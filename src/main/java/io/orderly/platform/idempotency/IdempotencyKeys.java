package io.orderly.platform.idempotency;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The stored state of each (client, key): in flight, or completed with its response. */
@Component
class IdempotencyKeys {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final IdempotencyProperties properties;

	IdempotencyKeys(JdbcClient jdbc, Clock clock, IdempotencyProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	/** A response kept for replay. */
	record StoredResponse(int status, Map<String, String> headers, byte[] body) {
	}

	/** What claiming a key found. */
	sealed interface Claim {

		/** The key is ours: run the request. */
		record Acquired() implements Claim {
		}

		/** The same key came with a different request. */
		record Mismatch() implements Claim {
		}

		/** The first request with this key is still running. */
		record InFlight() implements Claim {
		}

		/** The first request finished: answer with its response. */
		record Completed(StoredResponse response) implements Claim {
		}
	}

	/**
	 * Claims {@code key} for a request with fingerprint {@code hash}, in the request's own
	 * transaction (which must be active): a transaction-scoped advisory lock on (client, key)
	 * makes a concurrent request with the same key see it as in flight, and ends with the
	 * transaction, so a request that crashes or fails frees its key at once. A key whose record
	 * has expired is executed again, and so is one left {@code IN_FLIGHT} by the claims of earlier
	 * versions (committed on their own, so a crash could leave one; what that request did was rolled back).
	 */
	Claim claim(String client, String key, byte[] hash) {
		boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended(length(:client) || ':' || :client || :key, 0))")
			.param("client", client)
			.param("key", key)
			.query(Boolean.class)
			.single();
		if (!locked) {
			return new Claim.InFlight();
		}
		return jdbc.sql("""
				select request_hash, response_status, response_headers::text as headers, response_body
				from platform.idempotency_keys
				where client_id = :client and key = :key and state = 'COMPLETED' and expires_at > :now""")
			.param("client", client)
			.param("key", key)
			.param("now", Timestamp.from(clock.instant()))
			.query((rs, row) -> Arrays.equals(rs.getBytes("request_hash"), hash)
					? (Claim) new Claim.Completed(new StoredResponse(rs.getInt("response_status"),
							HeaderCodec.read(rs.getString("headers")), rs.getBytes("response_body")))
					: new Claim.Mismatch())
			.optional()
			.orElseGet(Claim.Acquired::new);
	}

	/**
	 * Stores the response of a finished request for {@code hash}, in the transaction that
	 * claimed the key (so under its lock), over a record that has expired or never completed.
	 */
	void complete(String client, String key, byte[] hash, StoredResponse response) {
		Instant now = clock.instant();
		jdbc.sql("""
				insert into platform.idempotency_keys (client_id, key, request_hash, state, response_status, response_headers,
				    response_body, locked_until, created_at, expires_at)
				values (:client, :key, :hash, 'COMPLETED', :status, cast(:headers as jsonb), :body, :now, :now, :expiresAt)
				on conflict (client_id, key) do update
				   set request_hash = excluded.request_hash, state = excluded.state, response_status = excluded.response_status,
				       response_headers = excluded.response_headers, response_body = excluded.response_body,
				       locked_until = excluded.locked_until, created_at = excluded.created_at, expires_at = excluded.expires_at
				 where platform.idempotency_keys.expires_at <= :now or platform.idempotency_keys.state <> 'COMPLETED'""")
			.param("client", client)
			.param("key", key)
			.param("hash", hash)
			.param("status", response.status())
			.param("headers", HeaderCodec.write(response.headers()))
			.param("body", response.body())
			.param("now", Timestamp.from(now))
			.param("expiresAt", Timestamp.from(now.plus(properties.ttl())))
			.update();
	}

	int purgeExpired() {
		return jdbc.sql("delete from platform.idempotency_keys where expires_at <= :now")
			.param("now", Timestamp.from(clock.instant()))
			.update();
	}
}
