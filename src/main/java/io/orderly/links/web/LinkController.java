package io.orderly.links.web;

import io.orderly.edge.Caller;

import java.net.URI;
import java.time.Instant;

import io.orderly.links.CreateLink;
import io.orderly.links.LinkManagement;
import io.orderly.links.LinkStats;
import io.orderly.links.LinkView;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Short links per the API contract: create, read, stats, delete. */
@RestController
@ConditionalOnModule("links")
@RequestMapping("/v1/links")
class LinkController {

	private final LinkManagement links;

	LinkController(LinkManagement links) {
		this.links = links;
	}

	record CreateLinkRequest(
			@Schema(example = "https://example.com/a?b=c") @NotNull String url,
			@Schema(example = "spring-sale") @Size(max = 64) String alias,
			@Schema(example = "2027-01-01T00:00:00Z") Instant expiresAt) {
	}

	@Operation(summary = "Create a short link", description = "201 with the link. Requires an Idempotency-Key. "
			+ "422 for a target that is not http(s), too long, or points back at the shortener, or a bad alias; "
			+ "409 for an alias that is or was in use.")
	@ApiResponse(responseCode = "201", description = "The link", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "409", description = "The alias is or was in use")
	@ApiResponse(responseCode = "422", description = "The target or alias is not acceptable; `errors` names the field")
	@PostMapping
	ResponseEntity<LinkView> create(@RequestHeader("Idempotency-Key") String idempotencyKey,
			@Valid @RequestBody CreateLinkRequest request, Caller caller) {
		LinkView link = links.create(new CreateLink(request.url(), request.alias(), request.expiresAt(), caller.subject()));
		return ResponseEntity.created(URI.create("/v1/links/" + link.code())).body(link);
	}

	@Operation(summary = "Read a short link", description = "A customer's own only: another's answers 404 like a missing one.")
	@GetMapping("/{code}")
	LinkView get(@PathVariable String code, Caller caller) {
		return visible(code, caller);
	}

	@Operation(summary = "Clicks of a short link")
	@GetMapping("/{code}/stats")
	LinkStats stats(@PathVariable String code, Caller caller) {
		visible(code, caller);
		return links.stats(code).orElseThrow(() -> notFound(code));
	}

	@Operation(summary = "Delete a short link", description = "204; from then on the short URL answers 410 on every "
			+ "instance. The code is never given out again.")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@DeleteMapping("/{code}")
	ResponseEntity<Void> delete(@PathVariable String code, Caller caller) {
		visible(code, caller);
		if (!links.delete(code)) {
			throw notFound(code);
		}
		return ResponseEntity.noContent().build();
	}

	/** The link, if the caller may see it: a customer sees the links they made, others all. */
	private LinkView visible(String code, Caller caller) {
		return links.find(code).filter(link -> caller.mayAccess(link.owner())).orElseThrow(() -> notFound(code));
	}

	static ProblemException notFound(String code) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No short link with this code.");
	}
}
