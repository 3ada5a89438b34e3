package io.orderly.platform.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Errors the servlet container answers before Spring sees the request (a request line or
 * header it cannot parse or that is too long, an encoded slash, a backslash or NUL in the
 * path, invalid UTF-8, an unsupported HTTP version) as RFC 9457 problems instead of Tomcat's
 * HTML page: Tomcat's error report valve on the host is replaced by {@link ProblemReportValve one} that
 * writes the same problem shape as {@link Problems}. Nothing of the request is echoed.
 */
@Component
class ContainerProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers(context -> {
			if (context.getParent() instanceof StandardHost host) {
				// Spring Boot adds its own error report valve to the host; the host adds one of the
				// class named here when it starts and finds none of that class.
				for (org.apache.catalina.Valve valve : host.getPipeline().getValves()) {
					if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
						host.getPipeline().removeValve(valve);
					}
				}
				host.setErrorReportValveClass(ProblemReportValve.class.getName());
			}
		});
	}

	/** After Spring Boot's own customizers, so its error report valve is there to be removed. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/** Tomcat's error report valve, writing a problem where it wrote HTML. */
	public static class ProblemReportValve extends ErrorReportValve {

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			AtomicBoolean ioAllowed = new AtomicBoolean(true);
			response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
			if (!ioAllowed.get()) {
				return;
			}
			try {
				response.setContentType("application/problem+json");
				response.setCharacterEncoding("UTF-8");
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write(new String(Problems.json(of(status)), StandardCharsets.UTF_8));
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The connection is gone or the answer already started: nothing more to say.
			}
		}
	}

	/** The problem for an error status the container or a filter's {@code sendError} produced. */
	static ProblemDetail of(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		HttpStatus resolved = known == null || !known.isError() ? HttpStatus.INTERNAL_SERVER_ERROR : known;
		String slug = switch (resolved.value()) {
			case 400 -> "malformed-request";
			case 404 -> "not-found";
			case 405 -> "method-not-allowed";
			case 406 -> "not-acceptable";
			case 408 -> "request-timeout";
			case 413 -> "body-too-large";
			case 414, 431 -> "request-too-large";
			case 415 -> "unsupported-media-type";
			case 505 -> "http-version-not-supported";
			default -> resolved.is5xxServerError() ? "server-error" : "request-refused";
		};
		String detail = switch (resolved.value()) {
			case 400 -> "The request could not be read: its request line, path or headers are malformed or too long "
					+ "(for example an encoded slash or backslash, a NUL or invalid UTF-8 in the path, a control "
					+ "character in a header, or a header or request line over the server's limit).";
			case 404 -> "No such resource.";
			case 405 -> "This resource does not answer this method.";
			case 406 -> "No representation of this resource matches the Accept header.";
			case 415 -> "The request body's Content-Type is not one this operation accepts (application/json).";
			case 408 -> "The request did not arrive in time.";
			case 413 -> "The request body is larger than this server accepts.";
			case 414, 431 -> "The request line or headers are larger than this server accepts.";
			case 505 -> "This server speaks HTTP/1.1 (and HTTP/1.0).";
			default -> resolved.is5xxServerError() ? "The server could not answer this request." : "The request was refused.";
		};
		return Problems.of(resolved, slug, resolved.getReasonPhrase(), detail);
	}
}
