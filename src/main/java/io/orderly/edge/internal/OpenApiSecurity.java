package io.orderly.edge.internal;

import io.orderly.platform.web.OpenApiProblems;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the edge adds to every operation of the served OpenAPI document, in one place rather than
 * on each controller: the bearer security scheme (a JWT or an {@code ok_} API key) and, for
 * every {@code /v1} operation but the signed PSP webhook, the problem answers the edge itself
 * gives: 401, 403 and 429, and 413 where a body is sent.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurity {

	static final String SCHEME = "bearer";

	@Bean
	OpenApiCustomizer edgeInOpenApi() {
		return api -> {
			api.getComponents()
				.addSecuritySchemes(SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
					.description("An access token (JWT) of the issuer, or an API key (ok_...)"));
			if (api.getPaths() == null) {
				return;
			}
			api.getPaths().forEach((path, item) -> {
				if (!path.startsWith("/v1/") || path.startsWith("/v1/webhooks/")) {
					return;
				}
				item.readOperations().forEach(operation -> secure(operation));
			});
		};
	}

	private static void secure(Operation operation) {
		operation.addSecurityItem(new SecurityRequirement().addList(SCHEME));
		add(operation, "401", "No valid token or API key");
		add(operation, "403", "The caller's roles do not allow this");
		add(operation, "429", "A rate limit refused the request (see Retry-After and RateLimit)");
		if (operation.getRequestBody() != null) {
			add(operation, "413", "The request body is over the configured size");
		}
	}

	private static void add(Operation operation, String status, String description) {
		if (operation.getResponses() == null || operation.getResponses().containsKey(status)) {
			return;
		}
		operation.getResponses()
			.addApiResponse(status, new ApiResponse().description(description).content(OpenApiProblems.problemContent()));
	}
}
