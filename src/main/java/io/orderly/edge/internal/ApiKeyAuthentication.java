package io.orderly.edge.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import io.orderly.edge.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A caller authenticated by an API key: a machine client with role {@code service}, named by the
 * key's id, its scope and tier on the key.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final ApiKeys.ApiKey key;

	ApiKeyAuthentication(ApiKeys.ApiKey key) {
		super(List.of(new SimpleGrantedAuthority(Role.SERVICE.authority())));
		this.key = key;
		setAuthenticated(true);
	}

	ApiKeys.ApiKey key() {
		return key;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return key.id();
	}

	@Override
	public String getName() {
		return key.id();
	}

	/** Authenticates {@code Bearer ok_...}: an unknown, expired or revoked key is a 401 like a bad token. */
	static AuthenticationManager manager(ApiKeys keys) {
		return authentication -> {
			String secret = ((BearerTokenAuthenticationToken) authentication).getToken();
			return keys.authenticate(secret)
				.map(ApiKeyAuthentication::new)
				.orElseThrow(() -> new InvalidBearerTokenException("Unknown, expired or revoked API key"));
		};
	}

	static boolean presentsKey(HttpServletRequest request) {
		String header = request.getHeader("Authorization");
		return header != null && header.regionMatches(true, 0, "Bearer " + ApiKeys.PREFIX, 0, 7 + ApiKeys.PREFIX.length());
	}

	/** A {@code read} key may only read: past the role rules, any other method is a 403. */
	static final class ReadOnlyScope extends OncePerRequestFilter {

		private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication caller
					&& ApiKeys.Scope.READ.value.equals(caller.key().scope()) && !READS.contains(request.getMethod())) {
				throw new AccessDeniedException("A read-only API key may not " + request.getMethod());
			}
			chain.doFilter(request, response);
		}
	}
}
