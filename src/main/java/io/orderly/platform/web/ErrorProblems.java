package io.orderly.platform.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}: a {@code sendError} or an exception that
 * escaped a filter) as a problem, in place of Spring Boot's {@code {"timestamp","status",
 * "error","path"}} body. Says the status and a sentence, never the exception. Asked for
 * directly, {@code /error} is not a resource: 404.
 */
@Hidden
@RestController
class ErrorProblems implements ErrorController {

	@RequestMapping("${server.error.path:/error}")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		ProblemDetail problem = ContainerProblems.of(code instanceof Integer status ? status : 404);
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}
}
