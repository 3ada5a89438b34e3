package io.orderly.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /}: where to start, instead of a "no static resource" error. */
@RestController
class IndexController {

	@Operation(summary = "Where to start", description = "Open: links to the API documents, health and the issuer.")
	@GetMapping("/")
	Map<String, String> index() {
		Map<String, String> links = new LinkedHashMap<>();
		links.put("name", "Orderly");
		links.put("docs", "/swagger-ui.html");
		links.put("openapi", "/v3/api-docs");
		links.put("health", "/actuator/health/readiness");
		links.put("issuer", "/.well-known/openid-configuration");
		links.put("tokens", "bin/token ACCOUNT prints an access token for a demo account; see README.md");
		return links;
	}
}
