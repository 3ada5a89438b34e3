package io.orderly.psp.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.annotation.Conditional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The simulator's idempotency keys, per client: in flight (claimed by a running request,
 * fenced by a lock token) or completed with the response to replay.
 */
@Repository("pspIdempotencyKeys")
@Conditional(PspEnabled.class)
class IdempotencyKeys {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final PspProperties properties;

	IdempotencyKeys(JdbcClient jdbc, Clock clock, PspProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	/** What claiming a key found. */
	sealed interface Claim {

		/** The key is ours, under {@code token}: run the request. */
		record Acquired(UUID token) implements Claim {
		}

		/** The key came before with other parameters. */
		record Mismatch() implements Claim {
		}

		/** The first request with this key is still running. */
		record InFlight() implements Claim {
		}

		/** The first request finished: answer with its response. */
		record Completed(PspResponse response) implements Claim {
		}
	}

	/**
	 * Claims {@code key} for a request with fingerprint {@code hash}, committed at once (no
	 * surrounding transaction), so concurrent requests with the key see the claim. An expired
	 * key, or a claim abandoned by a crashed request with the same parameters, is taken over.
	 */
	Claim claim(String client, String key, byte[] hash) {
		Instant now = clock.instant();
		UUID token = UUID.randomUUID();
		int claimed = jdbc.sql("""
				insert into psp.idempotency_keys (client_id, key, request_hash, state, lock_token, locked_until, created_at, expires_at)
				values (:client, :key, :hash, 'IN_FLIGHT', :token, :lockedUntil, :now, :expiresAt)
				on conflict (client_id, key) do update
				   set request_hash = excluded.request_hash, state = 'IN_FLIGHT', lock_token = excluded.lock_token,
				       response_status = null, response_location = null, response_body = null,
				       locked_until = excluded.locked_until, created_at = excluded.created_at, expires_at = excluded.expires_at
				 where psp.idempotency_keys.expires_at <= :now
				    or (psp.idempotency_keys.state = 'IN_FLIGHT' and psp.idempotency_keys.locked_until <= :now
				        and psp.idempotency_keys.request_hash = excluded.request_hash)""")
			.param("client", client)
			.param("key", key)
			.param("hash", hash)
			.param("token", token)
			.param("now", Timestamp.from(now))
			.param("lockedUntil", Timestamp.from(now.plus(properties.inFlightLease())))
			.param("expiresAt", Timestamp.from(now.plus(properties.idempotencyTtl())))
			.update();
		if (claimed == 1) {
			return new Claim.Acquired(token);
		}
		Optional<Claim> existing = jdbc.sql("""
				select request_hash, state, response_status, response_location, response_body
				from psp.idempotency_keys where client_id = :client and key = :key""")
			.param("client", client)
			.param("key", key)
			.query((rs, row) -> {
				if (!Arrays.equals(rs.getBytes("request_hash"), hash)) {
					return (Claim) new Claim.Mismatch();
				}
				if ("IN_FLIGHT".equals(rs.getString("state"))) {
					return new Claim.InFlight();
				}
				return new Claim.Completed(new PspResponse(rs.getInt("response_status"),
						rs.getString("response_location"), rs.getBytes("response_body"), true, false));
			})
			.optional();
		// Purged between the two statements: claim again.
		return existing.orElseGet(() -> claim(client, key, hash));
	}

	/**
	 * Stores the response of the request that holds the claim; runs in that request's
	 * transaction, so the response is kept if and only if the request's effects are.
	 *
	 * @return false when the claim is no longer this request's (it was taken over)
	 */
	boolean complete(String client, String key, UUID token, PspResponse response) {
		return jdbc.sql("""
				update psp.idempotency_keys
				set state = 'COMPLETED', response_status = :status, response_location = :location, response_body = :body
				where client_id = :client and key = :key and state = 'IN_FLIGHT' and lock_token = :token""")
			.param("status", response.status())
			.param("location", response.location())
			.param("body", response.body())
			.param("client", client)
			.param("key", key)
			.param("token", token)
			.update() == 1;
	}

	/** Gives up a claim whose request failed before it could complete; a retry may run it. */
	void release(String client, String key, UUID token) {
		jdbc.sql("""
				delete from psp.idempotency_keys
				where client_id = :client and key = :key and state = 'IN_FLIGHT' and lock_token = :token""")
			.param("client", client)
			.param("key", key)
			.param("token", token)
			.update();
	}

	int purgeExpired() {
		return jdbc.sql("delete from psp.idempotency_keys where expires_at <= :now")
			.param("now", Timestamp.from(clock.instant()))
			.update();
	}
}
