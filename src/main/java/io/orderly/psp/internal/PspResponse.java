package io.orderly.psp.internal;

import org.springframework.http.MediaType;

/**
 * An answer of the payment API as it goes on the wire, kept byte for byte so that a replay
 * is identical to the original.
 *
 * @param location   the {@code Location} header, or null
 * @param replayed   whether this is the stored answer to an earlier request with the same key
 * @param retryLater whether the same request may succeed a moment later (its key is in use)
 */
public record PspResponse(int status, String location, byte[] body, boolean replayed, boolean retryLater) {

	public MediaType contentType() {
		return status >= 400 ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON;
	}
}
