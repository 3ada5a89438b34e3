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
	 * Claims {@code key} for a request with fingerprint {@code hash}, in its own short
	 * transaction, so concurrent requests with the same key see the claim at once.
	 * An expired key or an abandoned in-flight claim is taken over.
	 */
	Claim claim(String client, String key, byte[] hash) {
		Instant now = clock.instant();
		int inserted = jdbc.sql("""
				insert into platform.idempotency_keys (client_id, key, request_hash, state, locked_until, created_at, expires_at)
				values (:client, :key, :hash, 'IN_FLIGHT', :lockedUntil, :now, :expiresAt)
				on conflict (client_id, key) do update
				   set request_hash = excluded.request_hash, state = 'IN_FLIGHT', response_status = null,
				       response_headers = null, response_body = null, locked_until = excluded.locked_until,
				       created_at = excluded.created_at, expires_at = excluded.expires_at
				 where platform.idempotency_keys.expires_at <= :now
				    or (platform.idempotency_keys.state = 'IN_FLIGHT' and platform.idempotency_keys.locked_until <= :now
				        and platform.idempotency_keys.request_hash = excluded.request_hash)""")
			.param("client", client)
			.param("key", key)
			.param("hash", hash)
			.param("now", Timestamp.from(now))
			.param("lockedUntil", Timestamp.from(now.plus(properties.inFlightLease())))
			.param("expiresAt", Timestamp.from(now.plus(properties.ttl())))
			.update();
		if (inserted == 1) {
			return new Claim.Acquired();
		}
		Optional<Claim> existing = jdbc.sql("""
				select request_hash, state, response_status, response_headers::text as headers, response_body
				from platform.idempotency_keys where client_id = :client and key = :key""")
			.param("client", client)
			.param("key", key)
			.query((rs, row) -> {
				if (!Arrays.equals(rs.getBytes("request_hash"), hash)) {
					return (Claim) new Claim.Mismatch();
				}
				if ("IN_FLIGHT".equals(rs.getString("state"))) {
					return new Claim.InFlight();
				}
				return new Claim.Completed(new StoredResponse(rs.getInt("response_status"),
						HeaderCodec.read(rs.getString("headers")), rs.getBytes("response_body")));
			})
			.optional();
		// Gone between the two statements (expired and purged): claim again.
		return existing.orElseGet(() -> claim(client, key, hash));
	}

	/** Stores the response of a finished request; runs in the request's own transaction. */
	void complete(String client, String key, StoredResponse response) {
		jdbc.sql("""
				update platform.idempotency_keys
				set state = 'COMPLETED', response_status = :status, response_headers = cast(:headers as jsonb),
				    response_body = :body
				where client_id = :client and key = :key""")
			.param("status", response.status())
			.param("headers", HeaderCodec.write(response.headers()))
			.param("body", response.body())
			.param("client", client)
			.param("key", key)
			.update();
	}

	/** Gives up a claim whose request failed on our side, so the client may try again. */
	void release(String client, String key) {
		jdbc.sql("delete from platform.idempotency_keys where client_id = :client and key = :key and state = 'IN_FLIGHT'")
			.param("client", client)
			.param("key", key)
			.update();
	}

	int purgeExpired() {
		return jdbc.sql("delete from platform.idempotency_keys where expires_at <= :now")
			.param("now", Timestamp.from(clock.instant()))
			.update();
	}
}
