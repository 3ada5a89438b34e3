package io.orderly.psp.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class PspFaultsFilterTest {

	private final RecordingDelays delays = new RecordingDelays();

	private final Faults faults = new Faults(FaultSettings.none(), new Random(1));

	private final PspServer server = new PspServer(8090, "127.0.0.1");

	private final PspFaultsFilter filter = new PspFaultsFilter(faults, delays, server);

	private final List<String> handled = new ArrayList<>();

	private final FilterChain chain = (request, response) -> {
		handled.add(((MockHttpServletRequest) request).getRequestURI());
		write(response, 201, "{\"id\":\"auth_1\"}");
	};

	@Test
	void passesRequestsThroughWithoutFaults() throws Exception {
		MockHttpServletResponse response = send("/psp/v1/authorizations");

		assertThat(handled).containsExactly("/psp/v1/authorizations");
		assertThat(response.getStatus()).isEqualTo(201);
		assertThat(delays.waits).isEmpty();
	}

	@Test
	void failsWith500BeforeDoingAnything() throws Exception {
		faults.set(new FaultSettings(1.0, null, null, null, null, null));

		MockHttpServletResponse response = send("/psp/v1/authorizations/auth_1/capture");

		assertThat(response.getStatus()).isEqualTo(500);
		assertThat(response.getContentAsString()).contains("/problems/psp-internal-error");
		assertThat(handled).isEmpty();
	}

	@Test
	void refusesWith503WhileDown() throws Exception {
		faults.set(new FaultSettings(null, null, null, null, null, true));

		MockHttpServletResponse response = send("/psp/v1/authorizations");

		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(handled).isEmpty();
	}

	@Test
	void hangsForTheTimeoutThenAnswers504WithoutDoingAnything() throws Exception {
		faults.set(new FaultSettings(null, null, 1.0, 45_000L, null, null));

		MockHttpServletResponse response = send("/psp/v1/authorizations");

		assertThat(delays.waits).containsExactly(Duration.ofSeconds(45));
		assertThat(response.getStatus()).isEqualTo(504);
		assertThat(handled).isEmpty();
	}

	@Test
	void addsLatencyBeforeHandling() throws Exception {
		faults.set(new FaultSettings(null, 250L, null, null, null, null));

		MockHttpServletResponse response = send("/psp/v1/authorizations");

		assertThat(delays.waits).containsExactly(Duration.ofMillis(250));
		assertThat(handled).hasSize(1);
		assertThat(response.getStatus()).isEqualTo(201);
	}

	@Test
	void handlesTheRequestThenLosesItsResponse() throws Exception {
		faults.set(new FaultSettings(null, null, null, null, 1.0, null));
		MockHttpServletRequest request = request("/psp/v1/authorizations");
		MockHttpServletResponse response = new MockHttpServletResponse();

		filter.doFilter(request, response, chain);

		assertThat(handled).hasSize(1);
		assertThat(response.getContentAsByteArray()).isEmpty();
		assertThat(response.isCommitted()).isFalse();
		assertThat(request.getAttributeNames().asIterator()).toIterable()
			.anyMatch(name -> name.endsWith("dropResponse"));
	}

	@Test
	void neverFaultsTheRecordsOrTheControlPlane() throws Exception {
		faults.set(new FaultSettings(1.0, 100L, 1.0, null, 1.0, true));

		assertThat(send("/psp/v1/charges").getStatus()).isEqualTo(201);
		assertThat(send("/psp/admin/faults").getStatus()).isEqualTo(201);
		assertThat(handled).hasSize(2);
		assertThat(delays.waits).isEmpty();
	}

	private MockHttpServletResponse send(String path) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(request(path), response, chain);
		return response;
	}

	private static MockHttpServletRequest request(String path) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
		request.setServletPath(path);
		return request;
	}

	private static void write(ServletResponse response, int status, String body) throws IOException {
		((jakarta.servlet.http.HttpServletResponse) response).setStatus(status);
		response.setContentType("application/json");
		response.getOutputStream().write(body.getBytes());
		response.flushBuffer();
	}

	/** Records the waits instead of waiting. */
	private static final class RecordingDelays extends Delays {

		final List<Duration> waits = new ArrayList<>();

		@Override
		boolean await(Duration duration) {
			if (!duration.isZero()) {
				waits.add(duration);
			}
			return true;
		}
	}
}
