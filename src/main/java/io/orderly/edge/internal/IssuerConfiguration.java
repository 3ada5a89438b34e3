package io.orderly.edge.internal;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.CorsFilter;

/**
 * The embedded OpenID Connect issuer (Spring Authorization Server) at the platform's own
 * origin: discovery, JWKS, the token endpoint (client credentials for machines, authorization
 * code with PKCE for people, refresh tokens that rotate on use), a login page. Everything it
 * keeps (keys, users, clients, granted authorizations) is in schema {@code edge}, so tokens
 * survive a restart and instances sharing a database share the issuer. Off when
 * {@code orderly.auth.issuer-uri} names an external issuer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${orderly.auth.issuer-uri:}' == ''")
class IssuerConfiguration {

	/** The client setting that holds a machine client's roles, comma separated. */
	static final String CLIENT_ROLES = "orderly.roles";

	@Bean(destroyMethod = "close")
	EdgePool edgePool(DataSource dataSource) {
		return new EdgePool(EdgeDatabase.poolBeside(dataSource));
	}

	/** The edge pool, wrapped so that it is not mistaken for the platform's data source. */
	record EdgePool(HikariDataSource dataSource) implements AutoCloseable {

		JdbcTemplate jdbcTemplate() {
			return new JdbcTemplate(dataSource);
		}

		TransactionTemplate transactions() {
			return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		}

		@Override
		public void close() {
			dataSource.close();
		}
	}

	@Bean
	SigningKeys signingKeys(EdgePool pool, Clock clock, AuthProperties properties) {
		SigningKeys keys = new SigningKeys(JdbcClient.create(pool.dataSource()), pool.transactions(), clock, properties);
		keys.rotate();
		return keys;
	}

	@Bean
	JwtEncoder jwtEncoder(SigningKeys keys) {
		return new NimbusJwtEncoder(keys.signing());
	}

	@Bean
	OAuth2TokenGenerator<?> tokenGenerator(JwtEncoder encoder, Clock clock, OAuth2TokenCustomizer<JwtEncodingContext> claims) {
		JwtGenerator jwt = new JwtGenerator(encoder);
		jwt.setClock(clock);
		jwt.setJwtCustomizer(claims);
		OAuth2RefreshTokenGenerator refresh = new OAuth2RefreshTokenGenerator();
		refresh.setClock(clock);
		return new DelegatingOAuth2TokenGenerator(jwt, refresh);
	}

	/** Access tokens carry our audience and the caller's roles in claim {@code roles}. */
	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> tokenClaims(AuthProperties properties) {
		return context -> {
			if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
				return;
			}
			Set<String> roles = new LinkedHashSet<>();
			if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
				String setting = context.getRegisteredClient().getClientSettings().getSetting(CLIENT_ROLES);
				if (setting != null) {
					roles.addAll(Arrays.asList(setting.split(",")));
				}
			}
			else {
				context.getPrincipal()
					.getAuthorities()
					.stream()
					.map(a -> a.getAuthority())
					.filter(a -> a.startsWith("ROLE_"))
					.map(a -> a.substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT))
					.forEach(roles::add);
			}
			// Plain ArrayLists: the JDBC authorization store reads the claims back through an
			// allow-list of types that has no immutable collections.
			if (context.getAuthorization() != null && context.getAuthorization().getId() != null) {
				// The login (refresh-token family) this token belongs to, so it can be ended as one.
				context.getClaims().claim(Revocations.FAMILY_CLAIM, context.getAuthorization().getId());
			}
			context.getClaims()
				.audience(new java.util.ArrayList<>(java.util.List.of(properties.audience())))
				.claim("roles", new java.util.ArrayList<>(roles));
		};
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(AuthProperties properties) {
		AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
		if (properties.issuer() != null && !properties.issuer().isBlank()) {
			settings.issuer(properties.issuer());
		}
		return settings.build();
	}

	@Bean
	RegisteredClientRepository registeredClients(EdgePool pool) {
		return new JdbcRegisteredClientRepository(pool.jdbcTemplate());
	}

	@Bean
	RefreshTokenFamilies authorizations(EdgePool pool, RegisteredClientRepository clients, JdbcClient jdbc,
			Revocations revocations, Clock clock, AuthProperties properties) {
		return new RefreshTokenFamilies(new JdbcOAuth2AuthorizationService(pool.jdbcTemplate(), clients), jdbc, revocations,
				clock, properties.refreshTokenTtl());
	}

	@Bean
	OAuth2AuthorizationConsentService consents(EdgePool pool, RegisteredClientRepository clients) {
		return new JdbcOAuth2AuthorizationConsentService(pool.jdbcTemplate(), clients);
	}

	@Bean
	JdbcUserDetailsManager users(EdgePool pool) {
		return new JdbcUserDetailsManager(pool.dataSource());
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	DemoAccounts demoAccounts(EdgePool pool, JdbcUserDetailsManager users, RegisteredClientRepository clients,
			PasswordEncoder encoder, AuthProperties properties) {
		DemoAccounts demo = new DemoAccounts(pool.transactions(), JdbcClient.create(pool.dataSource()), users, clients,
				encoder, properties);
		demo.createIfMissing();
		return demo;
	}

	/** The issuer's own endpoints; a person who is not logged in is sent to the login page. */
	@Bean
	@Order(1)
	SecurityFilterChain issuerEndpoints(HttpSecurity http, EdgeLimits limits, Environment environment, CorsProperties cors)
			throws Exception {
		// A browser app on an allowed origin may use the token endpoint, discovery and keys.
		http.cors(config -> config.configurationSource(ResponseHeaders.cors(cors)));
		http.oauth2AuthorizationServer(server -> {
			http.securityMatcher(server.getEndpointsMatcher());
			server.oidc(Customizer.withDefaults());
		})
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			.exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
					new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
			.oauth2ResourceServer(resource -> resource.jwt(Customizer.withDefaults()))
			.addFilterAfter(RateLimitConfiguration.byAddress(limits, environment), CorsFilter.class);
		return http.build();
	}

	/** The login page and logout for people (a session of their own, CSRF-protected forms). */
	@Bean
	@Order(2)
	SecurityFilterChain loginPage(HttpSecurity http, EdgeLimits limits, Environment environment) throws Exception {
		http.securityMatcher("/login", "/logout", "/error")
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.formLogin(Customizer.withDefaults())
			.logout(Customizer.withDefaults())
			.addFilterAfter(RateLimitConfiguration.byAddress(limits, environment), CorsFilter.class);
		return http.build();
	}

	static RegisteredClient.Builder withRoles(RegisteredClient.Builder client, String roles) {
		return client.clientSettings(org.springframework.security.oauth2.server.authorization.settings.ClientSettings
			.builder()
			.requireProofKey(true)
			.requireAuthorizationConsent(false)
			.setting(CLIENT_ROLES, roles)
			.build());
	}
}
