package io.orderly.edge.internal;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.orderly.edge.Caller;
import io.orderly.edge.Role;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * People and machine clients of the embedded issuer, managed by admins. A change to what
 * somebody may do (roles, disabled, a new password or secret, removal) ends their logins and
 * revokes every token they hold, on every instance: no token outlives the access it was issued
 * for. People and clients share one namespace of subjects (a token's {@code sub}), so a name is
 * either a person or a client. The last enabled admin cannot be removed or demoted.
 */
@RestController
@ConditionalOnExpression("'${orderly.auth.issuer-uri:}' == ''")
class AccountController {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");

	private static final Set<Role> PERSON_ROLES = Set.of(Role.CUSTOMER, Role.SUPPORT, Role.OPERATOR, Role.ADMIN);

	private static final Set<Role> CLIENT_ROLES = Set.of(Role.SERVICE, Role.SUPPORT, Role.OPERATOR, Role.ADMIN);

	private static final SecureRandom random = new SecureRandom();

	private final JdbcUserDetailsManager users;

	private final RegisteredClientRepository clients;

	private final PasswordEncoder passwords;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Revocations revocations;

	private final RefreshTokenFamilies logins;

	private final AuthProperties properties;

	AccountController(JdbcUserDetailsManager users, RegisteredClientRepository clients, PasswordEncoder passwords,
			IssuerConfiguration.EdgePool pool, Revocations revocations, RefreshTokenFamilies logins,
			AuthProperties properties) {
		this.users = users;
		this.clients = clients;
		this.passwords = passwords;
		this.jdbc = JdbcClient.create(pool.dataSource());
		this.transactions = pool.transactions();
		this.revocations = revocations;
		this.logins = logins;
		this.properties = properties;
	}

	record NewPerson(@Schema(example = "carol") @NotNull String username,
			@Schema(description = "12 to 128 characters") @NotNull @Size(min = 12, max = 128) String password,
			@Schema(example = "[\"customer\"]") @NotNull List<String> roles) {
	}

	record PersonChange(@Schema(example = "[\"operator\"]") List<String> roles, Boolean enabled,
			@Size(min = 12, max = 128) String password) {
	}

	record Person(String username, List<String> roles, boolean enabled) {
	}

	record NewClient(@Schema(example = "billing") @NotNull String clientId,
			@Schema(example = "Billing backend") @Size(max = 100) String name,
			@Schema(example = "[\"service\"]") @NotNull List<String> roles) {
	}

	record Client(String clientId, String name, List<String> roles, List<String> grantTypes,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Shown this once, never again") String secret) {
	}

	@Operation(summary = "Add a person", description = "Admin only. 201. Roles: customer, support, operator, admin. "
			+ "409 when the name is taken by a person or a client.")
	@PostMapping("/v1/admin/users")
	ResponseEntity<Person> createUser(@Valid @RequestBody NewPerson request) {
		String username = name("username", request.username());
		Set<Role> roles = roles(request.roles(), PERSON_ROLES);
		transactions.executeWithoutResult(tx -> {
			if (users.userExists(username) || clients.findByClientId(username) != null) {
				throw taken(username);
			}
			users.createUser(User.withUsername(username)
				.password(passwords.encode(request.password()))
				.authorities(authorities(roles))
				.build());
		});
		return ResponseEntity.created(URI.create("/v1/admin/users/" + username)).body(person(username));
	}

	@Operation(summary = "List people", description = "Admin only. Never a password or its hash.")
	@GetMapping("/v1/admin/users")
	List<Person> listUsers() {
		return jdbc.sql("select username from users order by username").query(String.class).list().stream()
			.map(this::person)
			.toList();
	}

	@Operation(summary = "Read a person", description = "Admin only.")
	@GetMapping("/v1/admin/users/{username}")
	Person getUser(@PathVariable String username) {
		return existing(username);
	}

	@Operation(summary = "Change a person's roles, password or whether they may sign in",
			description = "Admin only. Ends their logins and revokes their tokens on every instance. 409 for a change "
					+ "that would leave no enabled admin.")
	@PutMapping("/v1/admin/users/{username}")
	Person changeUser(@PathVariable String username, @Valid @RequestBody PersonChange request, Caller caller) {
		Set<Role> roles = request.roles() == null ? null : roles(request.roles(), PERSON_ROLES);
		transactions.executeWithoutResult(tx -> {
			Person before = existing(username);
			var current = users.loadUserByUsername(username);
			User.UserBuilder changed = User.withUserDetails(current)
				.authorities(roles != null ? authorities(roles) : current.getAuthorities().stream().map(a -> a.getAuthority())
					.toArray(String[]::new))
				.disabled(request.enabled() != null ? !request.enabled() : !before.enabled());
			if (request.password() != null) {
				changed.password(passwords.encode(request.password()));
			}
			users.updateUser(changed.build());
			requireAnAdmin();
		});
		endAccess(username, caller, "access changed by an admin");
		return person(username);
	}

	@Operation(summary = "Remove a person", description = "Admin only. 204; their tokens are revoked on every instance.")
	@DeleteMapping("/v1/admin/users/{username}")
	ResponseEntity<Void> deleteUser(@PathVariable String username, Caller caller) {
		transactions.executeWithoutResult(tx -> {
			existing(username);
			users.deleteUser(username);
			requireAnAdmin();
		});
		endAccess(username, caller, "removed by an admin");
		return ResponseEntity.noContent().build();
	}

	@Operation(summary = "Add a machine client", description = "Admin only. 201 with its secret, shown this once; it "
			+ "gets tokens with client credentials at /oauth2/token. Roles: service, support, operator, admin.")
	@PostMapping("/v1/admin/clients")
	ResponseEntity<Client> createClient(@Valid @RequestBody NewClient request) {
		String clientId = name("clientId", request.clientId());
		Set<Role> roles = roles(request.roles(), CLIENT_ROLES);
		String secret = secret();
		transactions.executeWithoutResult(tx -> {
			if (users.userExists(clientId) || clients.findByClientId(clientId) != null) {
				throw taken(clientId);
			}
			clients.save(DemoAccounts.machineClient(clientId, request.name() == null ? clientId : request.name(),
					passwords.encode(secret), String.join(",", roles.stream().map(Role::claimValue).toList()), properties));
		});
		return ResponseEntity.created(URI.create("/v1/admin/clients/" + clientId)).body(client(clientId, secret));
	}

	@Operation(summary = "List machine clients", description = "Admin only. Never a secret.")
	@GetMapping("/v1/admin/clients")
	List<Client> listClients() {
		return jdbc.sql("select client_id from oauth2_registered_client order by client_id").query(String.class).list().stream()
			.map(id -> client(id, null))
			.toList();
	}

	@Operation(summary = "Give a machine client a new secret", description = "Admin only. 200 with the new secret, "
			+ "shown this once; the old one stops working and the client's tokens are revoked on every instance.")
	@PostMapping("/v1/admin/clients/{clientId}/secret")
	Client rotateClientSecret(@PathVariable String clientId, Caller caller) {
		String secret = secret();
		transactions.executeWithoutResult(tx -> {
			RegisteredClient client = machine(clientId);
			clients.save(RegisteredClient.from(client).clientSecret(passwords.encode(secret)).build());
		});
		endAccess(clientId, caller, "secret replaced by an admin");
		return client(clientId, secret);
	}

	@Operation(summary = "Remove a machine client", description = "Admin only. 204; its tokens are revoked on every "
			+ "instance. The login client of the embedded issuer cannot be removed (409).")
	@DeleteMapping("/v1/admin/clients/{clientId}")
	ResponseEntity<Void> deleteClient(@PathVariable String clientId, Caller caller) {
		transactions.executeWithoutResult(tx -> {
			machine(clientId);
			jdbc.sql("delete from oauth2_registered_client where client_id = :id").param("id", clientId).update();
		});
		endAccess(clientId, caller, "removed by an admin");
		return ResponseEntity.noContent().build();
	}

	/** Ends every login and token of {@code subject}: what they were given no longer matches what they may do. */
	private void endAccess(String subject, Caller caller, String reason) {
		logins.endLoginsOf(subject);
		revocations.revokeSubject(subject, caller.subject(), reason);
	}

	private Person existing(String username) {
		if (!users.userExists(username)) {
			throw notFound("person", username);
		}
		return person(username);
	}

	private Person person(String username) {
		var user = users.loadUserByUsername(username);
		return new Person(username, claimValues(user.getAuthorities().stream().map(a -> a.getAuthority()).toList()),
				user.isEnabled());
	}

	private RegisteredClient machine(String clientId) {
		// No client has a name outside the pattern; the issuer's store refuses blank ones with an exception.
		RegisteredClient client = NAME.matcher(clientId).matches() ? clients.findByClientId(clientId) : null;
		if (client == null) {
			throw notFound("client", clientId);
		}
		if (client.getAuthorizationGrantTypes().stream().noneMatch(g -> "client_credentials".equals(g.getValue()))) {
			throw new ProblemException(HttpStatus.CONFLICT, "conflict", "Conflict",
					"Client " + clientId + " is the issuer's login client, not a machine client.");
		}
		return client;
	}

	private Client client(String clientId, String secret) {
		RegisteredClient client = clients.findByClientId(clientId);
		String setting = client.getClientSettings().getSetting(IssuerConfiguration.CLIENT_ROLES);
		List<String> roles = setting == null || setting.isBlank() ? List.of() : List.of(setting.split(","));
		return new Client(clientId, client.getClientName(), roles,
				client.getAuthorizationGrantTypes().stream().map(g -> g.getValue()).sorted().toList(), secret);
	}

	/** At least one enabled person keeps the admin role, or nobody could manage accounts any more. */
	private void requireAnAdmin() {
		long admins = jdbc.sql("""
				select count(*) from users u join authorities a on a.username = u.username
				 where u.enabled and a.authority = :admin""")
			.param("admin", Role.ADMIN.authority())
			.query(Long.class)
			.single();
		if (admins == 0) {
			throw new ProblemException(HttpStatus.CONFLICT, "last-admin", "Conflict",
					"This would leave no enabled admin.");
		}
	}

	private static String name(String field, String value) {
		if (!NAME.matcher(value).matches()) {
			throw invalid(field, "3 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
		}
		return value;
	}

	private static Set<Role> roles(List<String> names, Set<Role> allowed) {
		Set<Role> roles = new LinkedHashSet<>();
		for (String name : names) {
			Role role = name == null ? null : Role.fromClaim(name).orElse(null);
			if (role == null || !allowed.contains(role)) {
				throw invalid("roles", "each one of " + allowed.stream().map(Role::claimValue).sorted().toList());
			}
			roles.add(role);
		}
		if (roles.isEmpty()) {
			throw invalid("roles", "at least one role");
		}
		return roles;
	}

	private static String[] authorities(Set<Role> roles) {
		return roles.stream().map(Role::authority).toArray(String[]::new);
	}

	private static List<String> claimValues(List<String> authorities) {
		List<String> values = new ArrayList<>();
		for (Role role : Role.values()) {
			if (authorities.contains(role.authority())) {
				values.add(role.claimValue());
			}
		}
		return values;
	}

	private static String secret() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static ProblemException invalid(String field, String message) {
		return new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request", "The request has invalid fields.",
				Map.of("errors", List.of(new Problems.FieldError(field, message))));
	}

	private static ProblemException taken(String name) {
		return new ProblemException(HttpStatus.CONFLICT, "conflict", "Conflict",
				"The name " + name + " is taken by a person or a client.");
	}

	private static ProblemException notFound(String what, String name) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No " + what + " " + name + ".");
	}
}
