package io.orderly.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.orderly.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the servlet container refuses before Spring sees the request, what Spring Security's
 * firewall refuses, and the container's error page: each a problem body, never Tomcat's HTML
 * page nor Spring Boot's {"timestamp","status","error","path"}.
 */
@IntegrationTest
class ContainerProblemsIntegrationTest {

	@LocalServerPort
	int port;

	/** Sends the bytes as they are and returns the whole answer (Connection: close). */
	private String raw(byte[] request) throws Exception {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

	private static byte[] get(String target, String extraHeader) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		if (extraHeader != null) {
			bytes.writeBytes((extraHeader + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
		}
		bytes.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
		return bytes.toByteArray();
	}

	private static void assertProblem(String answer, int status, String what) {
		assertThat(answer).as(what).startsWith("HTTP/1.1 " + status + " ");
		assertThat(answer).as(what).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(answer).as(what).contains("\"status\":" + status).contains("\"type\":\"/problems/");
		assertThat(answer).as(what).doesNotContainIgnoringCase("<html").doesNotContain("\"timestamp\"");
	}

	@Test
	void requestsTheContainerCannotReadAreAnsweredWithProblems() throws Exception {
		Map<String, byte[]> requests = new LinkedHashMap<>();
		requests.put("an encoded slash", get("/v1/orders/a%2Fb", null));
		requests.put("a backslash", get("/v1/orders/a\\b", null));
		requests.put("an encoded backslash", get("/v1/orders/a%5Cb", null));
		requests.put("a NUL in the path", get("/s/a%00b", null));
		requests.put("invalid UTF-8 in the path", get("/s/a%FFb", null));
		requests.put("a control character in a header", get("/hello", "X-Note: a\u0001b"));
		requests.put("a NUL in a header", get("/hello", "X-Note: a\u0000b"));
		requests.put("a header over the limit", get("/hello", "X-Note: " + "a".repeat(20_000)));
		requests.put("a request line over the limit", get("/s/" + "a".repeat(20_000), null));
		requests.put("no Host header", "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
		requests.put("a control character in the method", "G\u0001T /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
			.getBytes(StandardCharsets.ISO_8859_1));
		for (Map.Entry<String, byte[]> request : requests.entrySet()) {
			assertProblem(raw(request.getValue()), 400, request.getKey());
		}
		byte[] rawUtf8 = new byte[] { 'G', 'E', 'T', ' ', '/', 's', '/', (byte) 0xFF, (byte) 0xFE, ' ', 'H', 'T', 'T', 'P',
				'/', '1', '.', '1', '\r', '\n', 'H', 'o', 's', 't', ':', ' ', 'x', '\r', '\n', 'C', 'o', 'n', 'n', 'e', 'c',
				't', 'i', 'o', 'n', ':', ' ', 'c', 'l', 'o', 's', 'e', '\r', '\n', '\r', '\n' };
		assertProblem(raw(rawUtf8), 400, "raw bytes that are not UTF-8 in the request line");
		assertProblem(raw("GET /hello HTTP/9.9\r\nHost: localhost\r\nConnection: close\r\n\r\n"
			.getBytes(StandardCharsets.ISO_8859_1)), 505, "an HTTP version this server does not speak");
	}

	@Test
	void whatTheFirewallRefusesIsAProblemAndLatinTextInAHeaderIsNotRefused() throws Exception {
		// U+0085 (NEL) is a control character Tomcat lets through; the firewall refuses it in a
		// header the application reads.
		String refused = raw(get("/hello", "Authorization: Bearer a\u0085b"));
		assertProblem(refused, 400, "a C1 control character in a header");
		assertThat(refused).contains("/problems/request-rejected");
		assertProblem(raw(get("/v1/../hello", null)), 400, "a dot-dot segment");
		assertThat(raw(get("/hello", "Authorization: Bearer caf\u00e9"))).as("é is text: past the firewall, a bad token")
			.startsWith("HTTP/1.1 401 ");
	}

	@Test
	void theErrorPageIsAProblemAndNotAResourceOfItsOwn() throws Exception {
		String answer = raw(get("/error", null));
		assertProblem(answer, 404, "/error asked for directly");
	}
}
