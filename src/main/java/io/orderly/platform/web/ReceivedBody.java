package io.orderly.platform.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request's body read whole before the request is worked on: at most the body size limit
 * (see {@link BodySizeFilter}) and within a deadline, past which reading stops with a
 * {@link SocketTimeoutException}. A form is read by the container itself (its parameters).
 */
public final class ReceivedBody {

	private ReceivedBody() {
	}

	static HttpServletRequest read(HttpServletRequest request, Duration deadline) throws IOException {
		if (!hasBody(request)) {
			return request;
		}
		String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
		if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/")) {
			request.getParameterMap();
			return request;
		}
		long started = System.nanoTime();
		long length = request.getContentLengthLong();
		ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) Math.min(length, 65_536) : 1_024);
		byte[] buffer = new byte[8_192];
		InputStream in = request.getInputStream();
		for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
			body.write(buffer, 0, n);
			if (System.nanoTime() - started > deadline.toNanos()) {
				throw new SocketTimeoutException("The request body took longer than " + deadline);
			}
		}
		return new Received(request, body.toByteArray());
	}

	/** {@code request} with {@code body} as its body, to be read as often as needed. */
	public static HttpServletRequest withBody(HttpServletRequest request, byte[] body) {
		return new Received(request, body);
	}

	private static boolean hasBody(HttpServletRequest request) {
		return request.getContentLengthLong() > 0
				|| (request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") != null);
	}

	/** The request with its body in memory. */
	private static final class Received extends HttpServletRequestWrapper {

		private final byte[] body;

		Received(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(body);
			return new ServletInputStream() {
				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body has been read already");
				}
			};
		}

		@Override
		public BufferedReader getReader() {
			Charset charset = getCharacterEncoding() == null ? StandardCharsets.UTF_8 : Charset.forName(getCharacterEncoding());
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}
	}
}
