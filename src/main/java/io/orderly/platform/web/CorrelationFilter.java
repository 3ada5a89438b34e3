package io.orderly.platform.web;

import java.io.IOException;
import java.util.regex.Pattern;

import io.orderly.platform.Ids;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a correlation id (the caller's {@code X-Correlation-Id}, or a new one),
 * echoed in the response, written in every log line and carried by every message the request
 * publishes; keeps the caller's W3C {@code traceparent} for the same purpose.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class CorrelationFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Correlation-Id";

	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String given = request.getHeader(HEADER);
		String correlationId = given != null && SAFE.matcher(given).matches() ? given : Ids.nextString();
		String traceparent = request.getHeader("traceparent");
		MDC.put("correlationId", correlationId);
		if (traceparent != null && TRACEPARENT.matcher(traceparent).matches()) {
			MDC.put("traceparent", traceparent);
		}
		response.setHeader(HEADER, correlationId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove("correlationId");
			MDC.remove("traceparent");
		}
	}
}
