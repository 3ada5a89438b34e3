package io.orderly.platform.web;

import java.util.List;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The served document says what the API answers when it refuses, for every operation, in one
 * place: every error answer is an RFC 9457 problem ({@code application/problem+json}, schema
 * {@code Problem}, which allows extension members such as {@code errors}); an operation that
 * takes parameters or a body may answer 400, one with a path variable 404, and every API
 * operation 503 with {@code Retry-After} (overloaded, or the database unreachable).
 * Operation-specific refusals (409, 410, 422) are declared on the operations.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiProblems {

	static final String PROBLEM = "#/components/schemas/Problem";

	@Bean
	OpenApiCustomizer problemsInOpenApi() {
		return problems();
	}

	/** The customizer, for documents of their own (springdoc groups take only their own customizers). */
	public static OpenApiCustomizer problems() {
		return api -> {
			api.getComponents().addSchemas("Problem", problem());
			if (api.getPaths() == null) {
				return;
			}
			api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
				if (path.startsWith("/v1/") || path.startsWith("/s/")) {
					boolean takesInput = operation.getRequestBody() != null
							|| (operation.getParameters() != null && !operation.getParameters().isEmpty());
					if (takesInput) {
						add(operation, "400", "Invalid input; `errors` names each bad field");
					}
					if (path.contains("{")) {
						add(operation, "404", "No such resource (or not the caller's)");
					}
					add(operation, "503", "Overloaded or the database is unreachable; retry after Retry-After")
						.addHeaderObject("Retry-After", new Header().description("Seconds to wait").schema(new IntegerSchema()));
				}
				if (operation.getResponses() != null) {
					operation.getResponses().forEach((status, response) -> {
						if (status.length() == 3 && status.charAt(0) >= '4') {
							response.setContent(problemContent());
						}
					});
				}
			}));
		};
	}

	private static ApiResponse add(Operation operation, String status, String description) {
		ApiResponse existing = operation.getResponses().get(status);
		if (existing != null) {
			return existing;
		}
		ApiResponse response = new ApiResponse().description(description).content(problemContent());
		operation.getResponses().addApiResponse(status, response);
		return response;
	}

	/** An error response's content: {@code application/problem+json} with the {@code Problem} schema. */
	public static Content problemContent() {
		return new Content().addMediaType("application/problem+json",
				new MediaType().schema(new Schema<>().$ref(PROBLEM)));
	}

	@SuppressWarnings("rawtypes")
	private static Schema problem() {
		Schema schema = new ObjectSchema().description("RFC 9457 problem details, with extension members")
			.addProperty("type", new StringSchema())
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema())
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema())
			.required(List.of("type", "title", "status"));
		schema.setAdditionalProperties(Boolean.TRUE);
		return schema;
	}
}
