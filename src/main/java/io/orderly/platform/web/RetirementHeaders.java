package io.orderly.platform.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Adds the {@code Deprecation}, {@code Sunset} and {@code Link} headers of {@link Retiring}
 * to every answer of a retiring endpoint, before the handler runs, so its errors carry them
 * too.
 */
class RetirementHeaders implements HandlerInterceptor {

	/** RFC 9110's IMF-fixdate, the only HTTP-date a sender may produce. */
	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	/** Per controller type and method (the handler of a request is a fresh copy each time). */
	private final Map<List<Object>, Optional<Retirement>> retirements = new ConcurrentHashMap<>();

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod method) {
			retirementOf(method).ifPresent(retirement -> retirement.write(response));
		}
		return true;
	}

	Optional<Retirement> retirementOf(HandlerMethod method) {
		return retirements.computeIfAbsent(List.of(method.getBeanType(), method.getMethod()), key -> {
			Retiring retiring = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), Retiring.class);
			if (retiring == null) {
				retiring = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), Retiring.class);
			}
			try {
				return Optional.ofNullable(retiring).map(Retirement::of);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("@Retiring on " + method + ": " + ex.getMessage(), ex);
			}
		});
	}

	/** One endpoint's retirement, its header values ready. */
	record Retirement(Instant deprecation, Instant sunset, String successor, String documentation) {

		Retirement {
			if (sunset != null && sunset.isBefore(deprecation)) {
				throw new IllegalArgumentException("the sunset " + sunset + " is before the deprecation " + deprecation);
			}
		}

		static Retirement of(Retiring retiring) {
			return new Retirement(instant(retiring.deprecatedSince()),
					retiring.sunset().isEmpty() ? null : instant(retiring.sunset()), retiring.successor(),
					retiring.documentation());
		}

		void write(HttpServletResponse response) {
			response.setHeader("Deprecation", "@" + deprecation.getEpochSecond());
			if (sunset != null) {
				response.setHeader("Sunset", HTTP_DATE.format(sunset));
			}
			if (!successor.isEmpty()) {
				response.addHeader("Link", "<" + successor + ">; rel=\"successor-version\"");
			}
			if (!documentation.isEmpty()) {
				response.addHeader("Link", "<" + documentation + ">; rel=\"deprecation\"");
			}
		}

		private static Instant instant(String value) {
			try {
				return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			catch (DateTimeParseException ex) {
				throw new IllegalArgumentException("'" + value + "' is neither an ISO date nor an instant", ex);
			}
		}
	}
}
