package io.orderly.platform.web;

import java.io.IOException;
import java.time.Duration;

import io.orderly.platform.LogEvery;
import io.orderly.platform.db.DatabaseReachability;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request that could not get a database connection, or lost it, answers 503 with
 * {@code Retry-After}: "database unavailable" while {@link DatabaseReachability} finds the
 * database unreachable (then it comes at once), "overloaded" when the pool had no connection
 * free in time. Nothing was committed, so a retry is safe. Controllers' failures reach
 * {@link ProblemHandler}, which asks {@link #answer}; failures in filters that use the
 * database before the controller (idempotency keys) are caught here, outside them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class DatabaseUnavailable extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailable.class);

	/** The problem and the seconds to wait before a retry. */
	record Answer(ProblemDetail problem, int retryAfterSeconds) {
	}

	private final DatabaseReachability database;

	private final LogEvery refusals = new LogEvery(Duration.ofSeconds(1));

	DatabaseUnavailable(DatabaseReachability database) {
		this.database = database;
	}

	Answer answer(Throwable failure) {
		long refused = refusals.occurred();
		if (!database.reachable()) {
			if (refused > 0) {
				log.warn("{} request(s) answered 503 in the last second: the database cannot be reached", refused);
			}
			return new Answer(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
					"The service cannot reach its database; retry after the time in Retry-After."), 2);
		}
		if (refused > 0) {
			log.warn("{} request(s) answered 503 in the last second: no database connection in time ({})", refused,
					failure.toString());
		}
		return new Answer(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", "Overloaded",
				"The service is handling as many requests as it can; retry after the time in Retry-After."), 1);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (RuntimeException | ServletException ex) {
			if (!DatabaseReachability.isConnectionFailure(ex) || response.isCommitted()) {
				throw ex;
			}
			Answer answer = answer(ex);
			response.resetBuffer();
			response.setHeader("Retry-After", Integer.toString(answer.retryAfterSeconds()));
			Problems.write(response, answer.problem());
		}
	}
}
