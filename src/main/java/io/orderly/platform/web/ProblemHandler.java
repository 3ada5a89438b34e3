package io.orderly.platform.web;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.ConstraintViolationException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as an RFC 9457 problem. Bad input is a 4xx naming the bad fields; only
 * our own faults are a 500, and those never echo internals.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	private final DatabaseUnavailable noDatabase;

	ProblemHandler(DatabaseUnavailable noDatabase) {
		this.noDatabase = noDatabase;
	}

	@ExceptionHandler(ProblemException.class)
	ResponseEntity<ProblemDetail> on(ProblemException ex) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.status());
		ex.retryAfter().ifPresent(wait -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds()))));
		return response.body(ex.toProblemDetail());
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<ProblemDetail> on(ConstraintViolationException ex) {
		List<Problems.FieldError> errors = ex.getConstraintViolations().stream()
			.map(v -> new Problems.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
			.toList();
		return ResponseEntity.badRequest().body(Problems.validation("The request has invalid fields.", errors));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> on(MethodArgumentTypeMismatchException ex) {
		return ResponseEntity.badRequest().body(Problems.validation("The request has invalid fields.",
				List.of(new Problems.FieldError(ex.getName(), "is not a valid value"))));
	}

	/**
	 * No database connection in time, or none at all: the request's transaction did not commit,
	 * so a retry is safe (and an Idempotency-Key makes it so for a write whose answer was lost).
	 * While the database cannot be reached these come at once (see DatabaseReachability).
	 */
	@ExceptionHandler({ CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
			DataAccessResourceFailureException.class })
	ResponseEntity<ProblemDetail> onNoDatabase(Exception ex) {
		DatabaseUnavailable.Answer answer = noDatabase.answer(ex);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(answer.retryAfterSeconds()))
			.body(answer.problem());
	}

	/**
	 * The security firewall checks parameter names and values when they are first read, which
	 * is inside the controller's call: a name or value with characters it refuses is a 400, as
	 * its refusals of paths and headers are.
	 */
	@ExceptionHandler(RequestRejectedException.class)
	ResponseEntity<ProblemDetail> on(RequestRejectedException ex) {
		return ResponseEntity.badRequest()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.of(HttpStatus.BAD_REQUEST, "request-rejected", "Request rejected",
					"A parameter's name or value holds characters this API does not accept (control characters)."));
	}

	/** A query string Tomcat cannot split into parameters (a parameter without a name, say), found when first read. */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<ProblemDetail> on(InvalidParameterException ex) {
		return ResponseEntity.badRequest()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.validation("The query string is malformed (a parameter without a name, or broken encoding).",
					List.of()));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> onUnexpected(Exception ex) {
		log.error("Unexpected failure", ex);
		return ResponseEntity.internalServerError().body(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
				"Internal error", "The server failed to handle the request; it has been logged."));
	}

	/**
	 * Spring MVC's own refusals (no such route, method or media type not supported, a missing
	 * parameter) come as problems of type {@code about:blank}: give them a type of ours, as every
	 * other problem has, so clients can tell them apart by type alone.
	 */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, status, request);
		if (response != null && response.getBody() instanceof ProblemDetail problem
				&& (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
			problem.setType(ContainerProblems.of(status.value()).getType());
		}
		return response;
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Problems.FieldError> errors = new ArrayList<>();
		ex.getBindingResult().getFieldErrors()
			.forEach(e -> errors.add(new Problems.FieldError(e.getField(), e.getDefaultMessage())));
		ex.getBindingResult().getGlobalErrors()
			.forEach(e -> errors.add(new Problems.FieldError(e.getObjectName(), e.getDefaultMessage())));
		return ResponseEntity.badRequest().body(Problems.validation("The request has invalid fields.", errors));
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Problems.FieldError> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach(result -> result.getResolvableErrors()
			.forEach(e -> errors.add(new Problems.FieldError(result.getMethodParameter().getParameterName(),
					e.getDefaultMessage()))));
		return ResponseEntity.badRequest().body(Problems.validation("The request has invalid fields.", errors));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getMostSpecificCause();
		for (Throwable c = ex; c != null; c = c.getCause()) {
			if (c instanceof BodySizeFilter.BodyTooLargeException) {
				return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
					.header("Connection", "close")
					.body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large", c.getMessage()));
			}
		}
		if (ex.getCause() instanceof ValueInstantiationException instantiation
				&& instantiation.getCause() instanceof IllegalArgumentException invalid) {
			// Request records validate themselves in their compact constructor.
			return ResponseEntity.badRequest().body(Problems.validation("The request has invalid fields.",
					List.of(new Problems.FieldError(path(instantiation), invalid.getMessage()))));
		}
		if (ex.getCause() instanceof UnrecognizedPropertyException unknown) {
			return ResponseEntity.badRequest().body(Problems.validation("The request has an unknown field.",
					List.of(new Problems.FieldError(path(unknown), "is not a known field"))));
		}
		if (ex.getCause() instanceof StrictJson.UnstorableTextException unstorable) {
			return ResponseEntity.badRequest().body(Problems.validation("The request has text that cannot be stored.",
					List.of(new Problems.FieldError(path(unstorable),
							"contains a character that cannot be stored (NUL or a lone surrogate)"))));
		}
		if (ex.getCause() instanceof StreamReadException duplicate && duplicate.getMessage() != null
				&& duplicate.getMessage().startsWith("Duplicate Object property")) {
			return ResponseEntity.badRequest()
				.body(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
						"The request body names a field twice."));
		}
		if (ex.getCause() instanceof InvalidFormatException | ex.getCause() instanceof MismatchedInputException) {
			DatabindException databind = (DatabindException) ex.getCause();
			return ResponseEntity.badRequest().body(Problems.validation("The request has a field of the wrong type.",
					List.of(new Problems.FieldError(path(databind), "has the wrong type or format"))));
		}
		String detail = cause instanceof JacksonException ? "The request body is not valid JSON."
				: "The request body could not be read.";
		return ResponseEntity.badRequest()
			.body(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body", detail));
	}

	private static String path(DatabindException ex) {
		StringBuilder path = new StringBuilder();
		for (var reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "body" : path.toString();
	}

	private static String lastNode(String propertyPath) {
		int dot = propertyPath.lastIndexOf('.');
		return dot < 0 ? propertyPath : propertyPath.substring(dot + 1);
	}
}
