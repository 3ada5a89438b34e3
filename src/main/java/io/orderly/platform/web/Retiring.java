package io.orderly.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint (a controller method) or all endpoints of a controller as on their way
 * out. Every answer of such an endpoint then says so:
 * <ul>
 * <li>{@code Deprecation: @1796083200} (RFC 9745: the moment of deprecation in seconds since
 * the epoch; it may lie in the future),
 * <li>{@code Sunset: Wed, 30 Jun 2027 00:00:00 GMT} (RFC 8594: when it may stop answering),
 * <li>{@code Link: </v2/products>; rel="successor-version"} and
 * {@code Link: <https://...>; rel="deprecation"} (a page on what to do).
 * </ul>
 * Dates are ISO dates ({@code 2026-12-01}, midnight UTC) or instants
 * ({@code 2026-12-01T12:00:00Z}); a bad one fails the start, not a request. An annotation on
 * the method wins over one on its controller. Retiring a whole version at once, should the API
 * adopt Spring's API versioning, is Spring's {@code StandardApiVersionDeprecationHandler}'s job.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Retiring {

	/** When the endpoint is deprecated. */
	String deprecatedSince();

	/** When it may stop answering; empty: not decided yet. Not before {@link #deprecatedSince}. */
	String sunset() default "";

	/** The path or URL of what replaces it; empty: nothing does. */
	String successor() default "";

	/** A page on the deprecation and how to move on; empty: none. */
	String documentation() default "";
}
