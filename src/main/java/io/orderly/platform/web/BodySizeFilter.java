package io.orderly.platform.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body over {@code orderly.http.max-body-size} (default 1 MB) with a 413
 * problem on every endpoint, first of all filters: by its declared length before anything reads
 * it, and, for a body without one, as soon as reading passes the limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 40)
class BodySizeFilter extends OncePerRequestFilter {

	/** Thrown by a request body's stream past the limit; answered 413 by {@link ProblemHandler}. */
	static final class BodyTooLargeException extends IOException {

		BodyTooLargeException(long limit) {
			super("The request body exceeds " + limit + " bytes.");
		}
	}

	private final long limit;

	BodySizeFilter(@Value("${orderly.http.max-body-size:1MB}") DataSize limit) {
		this.limit = limit.toBytes();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > limit) {
			response.setHeader("Connection", "close");
			Problems.write(response, tooLarge());
			response.flushBuffer();
			return;
		}
		chain.doFilter(request.getContentLengthLong() >= 0 ? request : new Limited(request, limit), response);
	}

	static org.springframework.http.ProblemDetail tooLarge(long limit) {
		return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
				"The request body exceeds " + limit + " bytes.");
	}

	private org.springframework.http.ProblemDetail tooLarge() {
		return tooLarge(limit);
	}

	/** A request whose body may be read up to the limit and no further. */
	private static final class Limited extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		Limited(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				ServletInputStream body = super.getInputStream();
				stream = new ServletInputStream() {
					private long read;

					@Override
					public int read() throws IOException {
						int b = body.read();
						if (b >= 0) {
							count(1);
						}
						return b;
					}

					@Override
					public int read(byte[] buffer, int offset, int length) throws IOException {
						int n = body.read(buffer, offset, length);
						if (n > 0) {
							count(n);
						}
						return n;
					}

					private void count(int n) throws BodyTooLargeException {
						read += n;
						if (read > limit) {
							throw new BodyTooLargeException(limit);
						}
					}

					@Override
					public boolean isFinished() {
						return body.isFinished();
					}

					@Override
					public boolean isReady() {
						return body.isReady();
					}

					@Override
					public void setReadListener(ReadListener listener) {
						body.setReadListener(listener);
					}
				};
			}
			return stream;
		}

		@Override
		public java.io.BufferedReader getReader() throws IOException {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
					getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding()));
		}
	}
}
