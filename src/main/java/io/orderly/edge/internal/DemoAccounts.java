package io.orderly.edge.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.orderly.edge.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded issuer's demo accounts, made once, on the first start of an empty database:
 * people {@code alice} and {@code bob} (customers), {@code support}, {@code operator},
 * {@code admin}; machine client {@code shop} (role {@code service}); and {@code orderly-web},
 * the client through which people log in (authorization code with PKCE, rotating refresh
 * tokens). Secrets are random unless {@code orderly.auth.demo.password} sets them, stored
 * hashed, logged once and written to an owner-readable file for {@code bin/token}.
 */
final class DemoAccounts {

	private static final Logger log = LoggerFactory.getLogger(DemoAccounts.class);

	static final String LOGIN_CLIENT = "orderly-web";

	/** Where the login client sends people back with their code; {@code bin/token} reads it there. */
	static final String LOGIN_REDIRECT = "http://127.0.0.1:8765/callback";

	private static final long CREATION_LOCK = 0x0ede_5167_0000_0002L;

	private static final Map<String, Role> PEOPLE = people();

	private final TransactionTemplate transactions;

	private final JdbcClient jdbc;

	private final JdbcUserDetailsManager users;

	private final RegisteredClientRepository clients;

	private final PasswordEncoder encoder;

	private final AuthProperties properties;

	DemoAccounts(TransactionTemplate transactions, JdbcClient jdbc, JdbcUserDetailsManager users,
			RegisteredClientRepository clients, PasswordEncoder encoder, AuthProperties properties) {
		this.transactions = transactions;
		this.jdbc = jdbc;
		this.users = users;
		this.clients = clients;
		this.encoder = encoder;
		this.properties = properties;
	}

	private static Map<String, Role> people() {
		Map<String, Role> people = new LinkedHashMap<>();
		people.put("alice", Role.CUSTOMER);
		people.put("bob", Role.CUSTOMER);
		people.put("support", Role.SUPPORT);
		people.put("operator", Role.OPERATOR);
		people.put("admin", Role.ADMIN);
		return people;
	}

	void createIfMissing() {
		if (!properties.demo().enabled()) {
			return;
		}
		Map<String, String> secrets = transactions.execute(tx -> {
			jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", CREATION_LOCK).query().singleRow();
			if (clients.findByClientId(LOGIN_CLIENT) != null) {
				return Map.<String, String>of();
			}
			Map<String, String> made = new LinkedHashMap<>();
			PEOPLE.forEach((name, role) -> {
				String password = secret();
				users.createUser(User.withUsername(name).password(encoder.encode(password)).roles(role.name()).build());
				made.put(name, password);
			});
			String shop = secret();
			clients.save(machineClient("shop", "Merchant backend (demo)", encoder.encode(shop), Role.SERVICE.claimValue(),
					properties));
			made.put("shop", shop);
			String web = secret();
			clients.save(IssuerConfiguration.withRoles(RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(LOGIN_CLIENT)
				.clientName("Orderly login (demo)")
				.clientSecret(encoder.encode(web))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
				.redirectUri(LOGIN_REDIRECT)
				.scope(OidcScopes.OPENID)
				.scope(OidcScopes.PROFILE)
				.tokenSettings(tokenSettings(properties)), "").build());
			made.put(LOGIN_CLIENT, web);
			return made;
		});
		if (secrets.isEmpty() || properties.demo().password() != null) {
			return;
		}
		StringBuilder lines = new StringBuilder();
		secrets.forEach((name, secret) -> lines.append(String.format("  %-12s %s%n", name, secret)));
		log.info("""
				Demo accounts created (shown this once; stored hashed; also in {}):
				{}  bin/token ACCOUNT prints an access token for one of them.""", properties.demo().credentialsFile(), lines);
		write(secrets);
	}

	/** A machine client: client credentials only, with its roles in a client setting. */
	static RegisteredClient machineClient(String clientId, String name, String secretHash, String roles,
			AuthProperties properties) {
		return IssuerConfiguration.withRoles(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientName(name)
			.clientSecret(secretHash)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("orders")
			.tokenSettings(tokenSettings(properties)), roles).build();
	}

	static TokenSettings tokenSettings(AuthProperties properties) {
		return TokenSettings.builder()
			.accessTokenTimeToLive(properties.accessTokenTtl())
			.refreshTokenTimeToLive(properties.refreshTokenTtl())
			.reuseRefreshTokens(false)
			.authorizationCodeTimeToLive(Duration.ofMinutes(2))
			.build();
	}

	private String secret() {
		if (properties.demo().password() != null) {
			return properties.demo().password();
		}
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private void write(Map<String, String> secrets) {
		Path file = properties.demo().credentialsFile();
		if (file == null) {
			return;
		}
		StringBuilder text = new StringBuilder("# Demo account secrets of this instance's first start (bin/token reads them)\n");
		secrets.forEach((name, secret) -> text.append(name).append('=').append(secret).append('\n'));
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.deleteIfExists(file);
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(file, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the demo credentials to " + file, ex);
		}
	}
}
