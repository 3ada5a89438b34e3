package io.orderly.edge.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orderly.edge.Caller;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API keys for machine clients, managed by admins. The secret is in the answer to a create or a
 * rotation and nowhere else: these answers are not kept for idempotent replay (see
 * {@code orderly.idempotency.excluded-path-prefixes}), so a retried create makes a second key.
 */
@RestController
@RequestMapping("/v1/admin/api-keys")
class ApiKeyController {

	private final ApiKeys keys;

	private final Clock clock;

	private final AuthProperties properties;

	ApiKeyController(ApiKeys keys, Clock clock, AuthProperties properties) {
		this.keys = keys;
		this.clock = clock;
		this.properties = properties;
	}

	record CreateKey(@Schema(example = "shop backend") @NotBlank @Size(max = 100) String name,
			@Schema(allowableValues = { "read", "read-write" }) @NotNull String scope,
			@Schema(allowableValues = { "free", "standard", "premium" }) @NotNull String tier,
			@Schema(description = "Callers of one tenant share its rate limit", example = "acme") @Size(min = 1, max = 100) String tenant,
			@Schema(example = "2027-06-30T00:00:00Z") @NotNull Instant expiresAt) {
	}

	record RotateKey(@Schema(description = "How long the previous secret stays valid (ISO 8601), default 24 h",
			example = "PT1H") Duration overlap) {
	}

	/** A key; {@code secret} only in the answer that created it. */
	record KeyView(String id, String name, String scope, String tier, String tenant, String secretHint, String status, Instant createdAt,
			String createdBy, Instant rotatedAt, Instant previousSecretValidUntil, Instant expiresAt, Instant revokedAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Shown this once, never again") String secret) {

		static KeyView of(ApiKeys.ApiKey key, Instant now, String secret) {
			String status = key.revokedAt() != null ? "revoked" : key.activeAt(now) ? "active" : "expired";
			return new KeyView(key.id(), key.name(), key.scope(), key.tier(), key.tenant(), key.secretHint(), status, key.createdAt(),
					key.createdBy(), key.rotatedAt(), key.previousValidUntil(), key.expiresAt(), key.revokedAt(), secret);
		}
	}

	@Operation(summary = "Create an API key", description = "Admin only. 201 with the secret (prefix ok_), shown this "
			+ "once; send it as Authorization: Bearer <secret>. A read key may only read.")
	@PostMapping
	ResponseEntity<KeyView> create(@Valid @RequestBody CreateKey request, Caller caller) {
		Instant now = clock.instant();
		List<Problems.FieldError> errors = new ArrayList<>();
		ApiKeys.Scope scope = ApiKeys.Scope.of(request.scope()).orElse(null);
		ApiKeys.Tier tier = ApiKeys.Tier.of(request.tier()).orElse(null);
		if (scope == null) {
			errors.add(new Problems.FieldError("scope", "one of read, read-write"));
		}
		if (tier == null) {
			errors.add(new Problems.FieldError("tier", "one of free, standard, premium"));
		}
		if (!request.expiresAt().isAfter(now) || request.expiresAt().isAfter(now.plus(properties.apiKeys().maxLifetime()))) {
			errors.add(new Problems.FieldError("expiresAt",
					"in the future and at most " + properties.apiKeys().maxLifetime().toDays() + " days ahead"));
		}
		if (!errors.isEmpty()) {
			throw invalid(errors);
		}
		ApiKeys.Issued issued = keys.create(request.name(), scope, tier, request.tenant(), request.expiresAt(),
				caller.subject());
		return ResponseEntity.created(URI.create("/v1/admin/api-keys/" + issued.key().id()))
			.body(KeyView.of(issued.key(), now, issued.secret()));
	}

	@Operation(summary = "List API keys", description = "Admin only. Without secrets.")
	@GetMapping
	List<KeyView> list() {
		Instant now = clock.instant();
		return keys.list().stream().map(key -> KeyView.of(key, now, null)).toList();
	}

	@Operation(summary = "Read an API key", description = "Admin only. Without its secret.")
	@GetMapping("/{id}")
	KeyView get(@PathVariable String id) {
		return keys.find(id).map(key -> KeyView.of(key, clock.instant(), null)).orElseThrow(() -> notFound(id));
	}

	@Operation(summary = "Rotate an API key", description = "Admin only. 200 with the new secret, shown this once; "
			+ "the previous one stays valid for the overlap (default 24 h, at most 30 days). 404 for a key that is "
			+ "not active.")
	@PostMapping("/{id}/rotate")
	KeyView rotate(@PathVariable String id, @RequestBody(required = false) RotateKey request, Caller caller) {
		Duration overlap = request == null || request.overlap() == null ? properties.apiKeys().rotationOverlap()
				: request.overlap();
		if (overlap.isNegative() || overlap.compareTo(Duration.ofDays(30)) > 0) {
			throw invalid(List.of(new Problems.FieldError("overlap", "between PT0S and P30D")));
		}
		ApiKeys.Issued issued = keys.rotate(id, overlap, caller.subject()).orElseThrow(() -> notFound(id));
		return KeyView.of(issued.key(), clock.instant(), issued.secret());
	}

	@Operation(summary = "Revoke an API key", description = "Admin only. 204; every secret of the key is refused on "
			+ "every instance within a second.")
	@DeleteMapping("/{id}")
	ResponseEntity<Void> revoke(@PathVariable String id, Caller caller) {
		if (!keys.revoke(id, caller.subject())) {
			throw notFound(id);
		}
		return ResponseEntity.noContent().build();
	}

	private static ProblemException invalid(List<Problems.FieldError> errors) {
		return new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request", "The request has invalid fields.",
				Map.of("errors", errors));
	}

	private static ProblemException notFound(String id) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No API key " + id + ".");
	}
}
