package io.orderly.psp.internal;

import java.io.IOException;

import io.orderly.platform.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Injects the faults in force into the payment API ({@code /psp/v1/authorizations/**}) the
 * way a real provider fails: refused while down; a 500 before anything is done; a hang, then
 * a 504 with nothing done; added latency; or the request is handled and committed and its
 * response lost. The records ({@code /psp/v1/charges}) and the control plane are never
 * faulted.
 */
class PspFaultsFilter extends OncePerRequestFilter {

	static final String AUTHORIZATIONS = "/psp/v1/authorizations";

	private final Faults faults;

	private final Delays delays;

	private final PspServer server;

	PspFaultsFilter(Faults faults, Delays delays, PspServer server) {
		this.faults = faults;
		this.delays = delays;
		this.server = server;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = PspRouting.path(request);
		return !(path.equals(AUTHORIZATIONS) || path.startsWith(AUTHORIZATIONS + "/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		FaultPlan plan = faults.plan();
		if (plan.down() || server.isDown()) {
			// Only requests that got in while the port was closing see this; the rest are refused.
			response.setHeader("Retry-After", "1");
			Problems.write(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "psp-unavailable",
					"Provider unavailable", "The payment provider is down; nothing was done."));
			return;
		}
		if (plan.error()) {
			Problems.write(response, Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "psp-internal-error",
					"Provider error", "The payment provider failed (simulated); nothing was done."));
			return;
		}
		if (plan.timeout()) {
			delays.await(plan.timeoutAfter());
			Problems.write(response, Problems.of(HttpStatus.GATEWAY_TIMEOUT, "psp-timeout", "Provider timeout",
					"The payment provider did not finish in time (simulated); nothing was done."));
			return;
		}
		delays.await(plan.latency());
		if (plan.lostResponse()) {
			// Handle and commit the request, keep its answer from the client, close the connection.
			ContentCachingResponseWrapper swallowed = new ContentCachingResponseWrapper(response);
			chain.doFilter(request, swallowed);
			PspServer.dropResponse(request);
			return;
		}
		chain.doFilter(request, response);
	}
}
