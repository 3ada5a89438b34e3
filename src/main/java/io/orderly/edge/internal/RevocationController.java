package io.orderly.edge.internal;

import java.util.List;
import java.util.Map;

import io.orderly.edge.Caller;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Ending tokens before they expire: an admin revoking one or a subject's all, a caller logging out. */
@RestController
class RevocationController {

	private final Revocations revocations;

	private final ObjectProvider<RefreshTokenFamilies> logins;

	RevocationController(Revocations revocations, ObjectProvider<RefreshTokenFamilies> logins) {
		this.revocations = revocations;
		this.logins = logins;
	}

	record RevocationRequest(@Schema(description = "The jti of one access token") @Size(min = 1, max = 200) String jti,
			@Schema(description = "A subject (user or client id): all their tokens issued until now", example = "alice")
			@Size(min = 1, max = 200) String subject,
			@Schema(description = "Why, for the record", example = "laptop stolen") @Size(max = 500) String reason) {
	}

	@Operation(summary = "Revoke a token or all of a subject's tokens",
			description = "Admin only. Exactly one of jti and subject. 204; refused on every instance within a second "
					+ "and until the token would have expired anyway. For a subject, every token issued up to this "
					+ "second, and (embedded issuer) their refresh tokens: they must sign in again.")
	@PostMapping("/v1/admin/revocations")
	ResponseEntity<Void> revoke(@Valid @RequestBody RevocationRequest request, Caller caller) {
		if ((request.jti() == null) == (request.subject() == null)) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
					"Name exactly one of jti and subject.", Map.of("errors",
							List.of(new Problems.FieldError("jti", "exactly one of jti and subject"),
									new Problems.FieldError("subject", "exactly one of jti and subject"))));
		}
		String reason = request.reason() == null ? "revoked by an admin" : request.reason();
		if (request.jti() != null) {
			revocations.revokeToken(request.jti(), caller.subject(), reason);
		}
		else {
			RefreshTokenFamilies issued = logins.getIfAvailable();
			if (issued != null) {
				issued.endLoginsOf(request.subject());
			}
			revocations.revokeSubject(request.subject(), caller.subject(), reason);
		}
		return ResponseEntity.noContent().build();
	}

	@Operation(summary = "Log out", description = "Ends the calling access token and, for a login of the embedded "
			+ "issuer, its refresh token and every access token of that login, on every instance within a second. 204.")
	@PostMapping("/v1/me/logout")
	ResponseEntity<Void> logout(Caller caller) {
		if (SecurityContextHolder.getContext().getAuthentication().getPrincipal() instanceof Jwt token) {
			Object family = token.getClaims().get(Revocations.FAMILY_CLAIM);
			RefreshTokenFamilies issued = logins.getIfAvailable();
			if (family != null) {
				if (issued != null) {
					issued.endLogin(family.toString());
				}
				revocations.revokeFamily(family.toString(), caller.subject(), "logout");
			}
			else if (token.getId() != null) {
				revocations.revokeToken(token.getId(), caller.subject(), "logout");
			}
		}
		return ResponseEntity.noContent().build();
	}
}
