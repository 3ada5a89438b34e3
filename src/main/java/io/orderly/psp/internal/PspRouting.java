package io.orderly.psp.internal;

import java.io.IOException;

import io.orderly.platform.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the two ports apart. The simulator's port serves only the simulator's API
 * ({@code /psp/v1/**}); the platform's port serves the simulator's control plane
 * ({@code /psp/admin/**}) and its records ({@code /psp/v1/charges}), which stay reachable
 * while the simulator is down, but not the payment API itself, and those two only with
 * {@code orderly.faults.enabled=true} (then to admins: the edge's rules). The simulator's
 * OpenAPI document ({@link PspOpenApi#PATH}) is served on both, naming the simulator's as server.
 */
class PspRouting extends OncePerRequestFilter {

	static final String API = "/psp/v1/";

	static final String CHARGES = "/psp/v1/charges";

	private final PspServer server;

	private final String baseUrl;

	private final boolean faultsEnabled;

	PspRouting(PspServer server, String baseUrl, boolean faultsEnabled) {
		this.server = server;
		this.baseUrl = baseUrl;
		this.faultsEnabled = faultsEnabled;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = path(request);
		if (server.servedHere(request)) {
			if (!path.startsWith(API) && !path.equals(PspOpenApi.PATH)) {
				Problems.write(response, Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
						"This port serves only the PSP simulator's API under " + API + " and its document at "
								+ PspOpenApi.PATH + "."));
				return;
			}
		}

		else if (path.startsWith("/psp/") && !faultsEnabled) {
			Problems.write(response, Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"The PSP simulator's controls are served only with orderly.faults.enabled=true."));
			return;
		}
		else if (path.startsWith(API) && !path.equals(CHARGES)) {
			Problems.write(response, Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"The PSP simulator's API is served on its own port: " + baseUrl + path + "."));
			return;
		}
		chain.doFilter(request, response);
	}

	/** The decoded, normalised path within the application. */
	static String path(HttpServletRequest request) {
		String pathInfo = request.getPathInfo();
		return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
	}
}
