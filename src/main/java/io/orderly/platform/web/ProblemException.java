package io.orderly.platform.web;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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

	private final Duration retryAfter;

	public ProblemException(HttpStatus status, String type, String title, String detail) {
		this(status, type, title, detail, Map.of());
	}

	public ProblemException(HttpStatus status, String type, String title, String detail, Map<String, Object> properties) {
		this(status, type, title, detail, properties, null);
	}

	private ProblemException(HttpStatus status, String type, String title, String detail, Map<String, Object> properties,
			Duration retryAfter) {
		super(detail);
		this.status = status;
		this.type = type;
		this.title = title;
		this.properties = Map.copyOf(properties);
		this.retryAfter = retryAfter;
	}

	/** A 503: the request was not carried out, and may be sent again after {@code retryAfter}. */
	public static ProblemException unavailable(String type, String title, String detail, Duration retryAfter) {
		return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, type, title, detail, Map.of(), retryAfter);
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

	/** How long the client should wait before trying again, answered as {@code Retry-After}. */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(retryAfter);
	}

	/** The problem type, as a URI reference relative to the API. */
	public URI type() {
		return Problems.type(type);
	}
}
