package io.orderly.platform.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Problem types and a writer for code that answers before Spring MVC does (filters). */
public final class Problems {

	private static final JsonMapper json = JsonMapper.builder().build();

	private Problems() {
	}

	public static URI type(String slug) {
		return URI.create("/problems/" + slug);
	}

	public static ProblemDetail of(HttpStatus status, String slug, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type(slug));
		problem.setTitle(title);
		return problem;
	}

	/** Writes a problem straight to a servlet response. */
	public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(json(problem));
	}

	/** A problem's JSON body. */
	static byte[] json(ProblemDetail problem) {
		Map<String, Object> body = new java.util.LinkedHashMap<>();
		body.put("type", problem.getType().toString());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		if (problem.getInstance() != null) {
			body.put("instance", problem.getInstance().toString());
		}
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		return json.writeValueAsBytes(body);
	}

	/** One bad field of a request, as listed in a validation problem's {@code errors}. */
	public record FieldError(String field, String message) {
	}

	public static ProblemDetail validation(String detail, List<FieldError> errors) {
		ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "validation", "Invalid request", detail);
		problem.setProperty("errors", errors);
		return problem;
	}
}
