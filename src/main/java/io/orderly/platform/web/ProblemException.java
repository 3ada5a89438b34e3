package io.orderly.platform.web;

import java.net.URI;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A refusal the client can act on, answered as an RFC 9457 problem. Modules throw it (or a
 * subclass) from their API; {@link ProblemHandler} turns it into the response.
 */
public class ProblemException extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final String title;

	private final Map<String, Object> properties;

	public ProblemException(HttpStatus status, String type, String title, String detail) {
		this(status, type, title, detail, Map.of());
	}

	public ProblemException(HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
		super(detail);
		this.status = status;
		this.type = type;
		this.title = title;
		this.properties = Map.copyOf(properties);
	}

	public HttpStatus status() {
		return status;
	}

	public ProblemDetail toProblemDetail() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
		problem.setType(Problems.type(type));
		problem.setTitle(title);
		properties.forEach(problem::setProperty);
		return problem;
	}

	/** The problem type, as a URI reference relative to the API. */
	public URI type() {
		return Problems.type(type);
	}
}
