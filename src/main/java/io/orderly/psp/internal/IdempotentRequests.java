package io.orderly.psp.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Idempotency the way Stripe documents it. The first request with a key runs, and its
 * response is stored in the same transaction as its effects; a later request with the key and
 * the same parameters gets that response again, byte for byte, and changes nothing. The key
 * with other parameters is refused (422), and while the first request runs, so is every other
 * (409). A request that fails before it completes (an error on our side) keeps nothing, and
 * its key may be used again.
 */
@Component("pspIdempotentRequests")
@Conditional(PspEnabled.class)
class IdempotentRequests {

	private final IdempotencyKeys keys;

	private final TransactionTemplate transactions;

	private final PspResponses responses;

	private final JsonMapper json;

	IdempotentRequests(IdempotencyKeys keys, TransactionTemplate transactions, PspResponses responses, JsonMapper json) {
		this.keys = keys;
		this.transactions = transactions;
		this.responses = responses;
		this.json = json;
	}

	/**
	 * Runs {@code work} once per ({@code client}, {@code key}).
	 *
	 * @param parameters what makes two requests the same: the operation, its target and its
	 *                   parameters
	 * @param work       the request's effects and response, in one transaction; it answers a
	 *                   refusal only before it changed anything
	 */
	PspResponse execute(String client, String key, List<?> parameters, Supplier<PspResponse> work) {
		return switch (keys.claim(client, key, fingerprint(parameters))) {
			case IdempotencyKeys.Claim.Mismatch m -> responses.idempotencyMismatch();
			case IdempotencyKeys.Claim.InFlight f -> responses.inFlight();
			case IdempotencyKeys.Claim.Completed c -> c.response();
			case IdempotencyKeys.Claim.Acquired a -> run(client, key, a.token(), work);
		};
	}

	private PspResponse run(String client, String key, UUID token, Supplier<PspResponse> work) {
		try {
			return transactions.execute(status -> {
				PspResponse response = work.get();
				if (!keys.complete(client, key, token, response)) {
					throw new ClaimTakenOver();
				}
				return response;
			});
		}
		catch (ClaimTakenOver ex) {
			// Our lease ran out and another request owns the key now; our effects were rolled back.
			return responses.inFlight();
		}
		catch (RuntimeException ex) {
			keys.release(client, key, token);
			throw ex;
		}
	}

	private byte[] fingerprint(List<?> parameters) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(parameters));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static final class ClaimTakenOver extends RuntimeException {

		ClaimTakenOver() {
			super(null, null, false, false);
		}
	}
}
