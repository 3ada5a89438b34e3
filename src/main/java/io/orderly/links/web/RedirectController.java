package io.orderly.links.web;

import io.orderly.links.LinkManagement;
import io.orderly.links.internal.LinkCache;
import io.orderly.links.internal.LinksProperties;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The hot path: {@code /s/{code}} redirects from the cache; the database only on a miss. */
@RestController
@ConditionalOnModule("links")
class RedirectController {

	private final LinkManagement links;

	private final HttpStatus status;

	RedirectController(LinkManagement links, LinksProperties properties) {
		this.links = links;
		this.status = HttpStatus.valueOf(properties.redirectStatus());
	}

	@Operation(summary = "Follow a short link", description = "302 (or 301, configurable) to the target; 404 for an "
			+ "unknown code, 410 for an expired or deleted link.")
	@ApiResponse(responseCode = "302", description = "To the target, in Location (301 when so configured)",
			headers = @Header(name = "Location", schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "301", description = "As 302, with orderly.links.redirect-status=301",
			headers = @Header(name = "Location", schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "410", description = "The link expired or was deleted")
	@GetMapping("/s/{code}")
	ResponseEntity<Void> redirect(@PathVariable String code) {
		LinkCache.Target target = links.resolve(code);
		if (target == null) {
			throw LinkController.notFound(code);
		}
		if (links.gone(target)) {
			throw new ProblemException(HttpStatus.GONE, "gone", "Gone", "This short link has expired or was deleted.");
		}
		return ResponseEntity.status(status).header(HttpHeaders.LOCATION, target.url()).build();
	}
}
