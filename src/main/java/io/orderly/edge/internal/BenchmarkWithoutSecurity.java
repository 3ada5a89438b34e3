package io.orderly.edge.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.orderly.edge.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code orderly.auth.benchmark-without-security=true}: the API chain without authentication,
 * authorization or rate limits, so that {@code bin/bench-edge} can measure what they cost. Every
 * request acts as the caller {@code benchmark} with role {@code admin}. Only for a throw-away
 * embedded database under the system temp folder (the platform refuses to start otherwise), and
 * said at ERROR level on start: an instance with real data can never be opened by this switch.
 */
final class BenchmarkWithoutSecurity {

	static final String PROPERTY = "orderly.auth.benchmark-without-security";

	private static final Logger log = LoggerFactory.getLogger(BenchmarkWithoutSecurity.class);

	private static final Authentication CALLER = UsernamePasswordAuthenticationToken.authenticated("benchmark", null,
			List.of(new SimpleGrantedAuthority(Role.ADMIN.authority())));

	private BenchmarkWithoutSecurity() {
	}

	static SecurityFilterChain chain(HttpSecurity http, Environment environment) throws Exception {
		requireThrowAwayDatabase(environment);
		log.error("{}=true: the API is OPEN, every request acts as an admin without credentials and no API request is "
				+ "rate limited (sign-ins still are). This is for bin/bench-edge on a throw-away database only.", PROPERTY);
		http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			// Controllers take a Caller from the security context: supply a fixed one.
			.addFilterBefore(new OncePerRequestFilter() {
				@Override
				protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
						FilterChain chain) throws ServletException, IOException {
					SecurityContextHolder.getContext().setAuthentication(CALLER);
					chain.doFilter(request, response);
				}
			}, AuthorizationFilter.class);
		return http.build();
	}

	/** {@link #requireThrowAwayDatabase(boolean, String, String)} on this platform's settings. */
	static void requireThrowAwayDatabase(Environment environment) {
		requireThrowAwayDatabase(environment.getProperty("orderly.database.embedded", Boolean.class, true),
				environment.getProperty("orderly.database.data-directory"), System.getProperty("java.io.tmpdir"));
	}

	/**
	 * Refuses unless the data is the embedded server's and lives in a folder under the system
	 * temp folder (no folder at all means the embedded library's own temporary one): the only
	 * database this mode may open.
	 */
	static void requireThrowAwayDatabase(boolean embedded, String dataDirectory, String tempDirectory) {
		if (!embedded) {
			throw new IllegalStateException(PROPERTY + " needs the embedded database (orderly.database.embedded=true)");
		}
		if (dataDirectory == null || dataDirectory.isBlank()) {
			return;
		}
		// Normalized and with links resolved, so that neither /tmp/../home/shop/data nor a link in
		// /tmp to a kept data folder passes as being under /tmp.
		Path data = real(Path.of(dataDirectory));
		Path temp = real(Path.of(tempDirectory));
		if (data.equals(temp) || !data.startsWith(temp)) {
			throw new IllegalStateException(PROPERTY + " needs a throw-away database: orderly.database.data-directory ("
					+ data + ") must be a folder under the system temp folder (" + temp + ")");
		}
	}

	/** The path with links resolved as far as it exists (the data folder may not exist yet). */
	private static Path real(Path path) {
		Path absolute = path.toAbsolutePath().normalize();
		Path existing = absolute;
		while (existing != null && !Files.exists(existing)) {
			existing = existing.getParent();
		}
		if (existing == null) {
			return absolute;
		}
		try {
			return existing.toRealPath().resolve(existing.relativize(absolute));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
