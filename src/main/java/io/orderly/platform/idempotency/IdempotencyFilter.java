package io.orderly.platform.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.orderly.platform.web.Problems;
import io.orderly.platform.web.ReceivedBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The HTTP {@code Idempotency-Key} facility, for every unsafe request that carries the
 * header. The first request with a key runs; the key is claimed, and the response (status,
 * body and the headers that matter) stored, in the same transaction as the request's own
 * effects, and replayed for the same key and request with {@code Idempotent-Replayed: true}.
 * The same key with another request is refused with 422; while the first still runs, with 409
 * (the claim is a transaction-scoped advisory lock, so a request that fails or whose process
 * dies frees its key at once). Keys are scoped per client and expire after
 * {@code orderly.idempotency.ttl}.
 *
 * <p>A response of 5xx is not stored: the effects were rolled back and the client may retry.
 * Endpoints that require a key declare the header as a required parameter. Paths under
 * {@code orderly.idempotency.excluded-path-prefixes} (the PSP simulator, which stands for an
 * outside system with idempotency rules of its own) are left alone.
 */
@Component
@Order(IdempotencyFilter.AFTER_SECURITY)
class IdempotencyFilter extends OncePerRequestFilter {

	/**
	 * Right after Spring Security's filter chain (its order is -100): the caller is known, so
	 * keys are scoped per caller, and a stored answer is replayed only to a caller who got past
	 * the edge, never to one without credentials.
	 */
	static final int AFTER_SECURITY = -100 + 10;

	static final String HEADER = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

	private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

	private static final List<String> STORED_HEADERS = List.of("Content-Type", "Location", "ETag", "Link");

	private final IdempotencyKeys keys;

	private final TransactionTemplate transactions;

	private final IdempotencyProperties properties;

	IdempotencyFilter(IdempotencyKeys keys, TransactionTemplate transactions, IdempotencyProperties properties) {
		this.keys = keys;
		this.transactions = transactions;
		this.properties = properties;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !UNSAFE_METHODS.contains(request.getMethod()) || request.getHeader(HEADER) == null
				|| properties.excludedPathPrefixes().stream().anyMatch(request.getRequestURI()::startsWith);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getHeader(HEADER);
		if (!VALID_KEY.matcher(key).matches()) {
			Problems.write(response, Problems.validation("The Idempotency-Key header is invalid.",
					List.of(new Problems.FieldError(HEADER, "must be 1 to 255 visible ASCII characters"))));
			return;
		}
		byte[] body = readBody(request);
		if (body == null) {
			Problems.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
					"The request body exceeds " + properties.maxBodyBytes() + " bytes."));
			return;
		}
		String client = clientOf(request);
		execute(ReceivedBody.withBody(request, body), response, chain, client, key, fingerprint(request, body));
	}

	/**
	 * One transaction: claim the key, run the request, store its answer. A replay, a mismatch
	 * and a key in flight are answered inside it too, and change nothing.
	 */
	private void execute(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String client,
			String key, byte[] hash) throws IOException {
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		IdempotencyKeys.Claim[] claimed = { null };
		boolean[] storeAfterRollback = { false };
		boolean[] successRolledBack = { false };
		transactions.executeWithoutResult(status -> {
			claimed[0] = keys.claim(client, key, hash);
			if (!(claimed[0] instanceof IdempotencyKeys.Claim.Acquired)) {
				return;
			}
			try {
				chain.doFilter(request, captured);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (ServletException ex) {
				throw new IllegalStateException(ex);
			}
			if (captured.getStatus() >= 500) {
				status.setRollbackOnly();
			}
			else if (status.isRollbackOnly()) {
				// A participant marked the transaction for rollback: nothing the request did stays.
				status.setRollbackOnly();
				if (captured.getStatus() >= 400) {
					// A refusal: true as it stands, stored on its own below.
					storeAfterRollback[0] = true;
				}
				else {
					// A success whose effects are gone must not be told, nor replayed.
					successRolledBack[0] = true;
				}
			}
			else {
				keys.complete(client, key, hash, stored(captured));
			}
		});
		switch (claimed[0]) {
			case IdempotencyKeys.Claim.Mismatch m -> Problems.write(response,
					Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency key reused",
							"This Idempotency-Key was used with a different request."));
			case IdempotencyKeys.Claim.InFlight f -> {
				response.setHeader("Retry-After", "1");
				Problems.write(response, Problems.of(HttpStatus.CONFLICT, "idempotency-key-in-flight",
						"Request in progress", "A request with this Idempotency-Key is still being processed."));
			}
			case IdempotencyKeys.Claim.Completed c -> replay(c.response(), response);
			case IdempotencyKeys.Claim.Acquired a -> {
				if (successRolledBack[0]) {
					response.reset();
					Problems.write(response, Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "rolled-back", "Nothing was changed",
							"The request's changes were rolled back; it may be sent again with the same Idempotency-Key."));
					return;
				}
				if (storeAfterRollback[0]) {
					storeRefusal(client, key, hash, stored(captured));
				}
				captured.copyBodyToResponse();
			}
		}
	}

	/**
	 * A refusal whose transaction was rolled back, stored under the key on its own (unless another
	 * request got there first). Between the rollback and this, the key is free: a retry arriving
	 * then runs again, which is harmless since the refused request changed nothing.
	 */
	private void storeRefusal(String client, String key, byte[] hash, IdempotencyKeys.StoredResponse refusal) {
		transactions.executeWithoutResult(status -> {
			if (keys.claim(client, key, hash) instanceof IdempotencyKeys.Claim.Acquired) {
				keys.complete(client, key, hash, refusal);
			}
		});
	}

	private static IdempotencyKeys.StoredResponse stored(ContentCachingResponseWrapper captured) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (String name : STORED_HEADERS) {
			String value = name.equals("Content-Type") ? captured.getContentType() : captured.getHeader(name);
			if (value != null) {
				headers.put(name, value);
			}
		}
		return new IdempotencyKeys.StoredResponse(captured.getStatus(), headers, captured.getContentAsByteArray());
	}

	private static void replay(IdempotencyKeys.StoredResponse stored, HttpServletResponse response) throws IOException {
		response.setStatus(stored.status());
		stored.headers().forEach((name, value) -> {
			if (name.equals("Content-Type")) {
				response.setContentType(value);
			}
			else {
				response.setHeader(name, value);
			}
		});
		response.setHeader(REPLAYED, "true");
		byte[] body = stored.body() == null ? new byte[0] : stored.body();
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** The scope of a key: the authenticated principal, or one shared anonymous scope. */
	private static String clientOf(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return principal != null ? principal.getName() : "anonymous";
	}

	private byte[] readBody(HttpServletRequest request) throws IOException {
		int limit = properties.maxBodyBytes();
		if (request.getContentLengthLong() > limit) {
			return null;
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes(limit + 1);
			return body.length > limit ? null : body;
		}
	}

	private static byte[] fingerprint(HttpServletRequest request, byte[] body) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(request.getMethod().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(request.getRequestURI().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			if (request.getQueryString() != null) {
				digest.update(request.getQueryString().getBytes(StandardCharsets.UTF_8));
			}
			digest.update((byte) 0);
			digest.update(body);
			return digest.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
