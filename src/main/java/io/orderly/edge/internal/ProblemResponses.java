package io.orderly.edge.internal;

import io.orderly.platform.web.Problems;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 as RFC 9457 problems. The {@code WWW-Authenticate: Bearer} header (with the
 * OAuth error where the token was bad) comes from Spring Security's bearer token handlers;
 * the body says the same in words, without echoing the token.
 */
final class ProblemResponses {

	private ProblemResponses() {
	}

	static AuthenticationEntryPoint unauthenticated() {
		BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
		return (request, response, exception) -> {
			bearer.commence(request, response, exception);
			String detail = request.getHeader("Authorization") == null
					? "This endpoint needs a bearer token or API key (Authorization: Bearer <token>)."
					: "The bearer token or API key is not valid: it may be expired, revoked, not yet valid, for another "
							+ "audience or issuer, or not signed by a key of the issuer.";
			write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated", detail));
		};
	}

	static AccessDeniedHandler forbidden() {
		BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
		return (request, response, exception) -> {
			bearer.handle(request, response, exception);
			write(response, Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
					"Your roles do not allow this operation."));
		};
	}

	private static void write(HttpServletResponse response, org.springframework.http.ProblemDetail problem)
			throws java.io.IOException {
		if (!response.isCommitted()) {
			Problems.write(response, problem);
		}
	}
}
