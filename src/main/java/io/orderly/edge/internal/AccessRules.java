package io.orderly.edge.internal;

import static io.orderly.edge.Role.ADMIN;
import static io.orderly.edge.Role.CUSTOMER;
import static io.orderly.edge.Role.OPERATOR;
import static io.orderly.edge.Role.SERVICE;
import static io.orderly.edge.Role.SUPPORT;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.Arrays;

import io.orderly.edge.Role;

import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * Who may call what, per path and method: the role matrix of docs/access.md, which
 * {@code AccessMatrixIntegrationTest} walks for every operation of the served OpenAPI
 * document. Object-level rules (a customer's own orders) sit in the controllers, on the
 * {@link io.orderly.edge.Caller}. Anything under {@code /v1} not listed needs a token; any
 * other path not listed is refused.
 */
final class AccessRules {

	private AccessRules() {
	}

	static void apply(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry rules) {
		// Open: redirects, probes, the contract, the signed provider webhook.
		rules.requestMatchers(GET, "/", "/s/**", "/actuator/health/liveness", "/actuator/health/readiness", "/hello")
			.permitAll()
			.requestMatchers(GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
			.permitAll()
			.requestMatchers(POST, "/v1/webhooks/psp", "/v1/webhooks/carrier", "/v1/webhooks/notifications/*")
			.permitAll()
			.requestMatchers("/error")
			.permitAll();

		// Fault switches and the simulator's records on the API port: admin, and only with
		// orderly.faults.enabled (without it these endpoints do not exist).
		rules.requestMatchers("/psp/**", "/v1/admin/shipping/faults", "/v1/admin/shipping/faults/**",
				"/v1/admin/notification-providers", "/v1/admin/notification-providers/**")
			.hasRole(ADMIN.name());

		// Identity administration: admins only.
		rules.requestMatchers("/v1/admin/revocations", "/v1/admin/revocations/**", "/v1/admin/api-keys",
				"/v1/admin/api-keys/**", "/v1/admin/users", "/v1/admin/users/**", "/v1/admin/clients",
				"/v1/admin/clients/**")
			.hasRole(ADMIN.name());

		// Operations: support reads, operators and admins act. Metrics are operations too.
		rules.requestMatchers(GET, "/v1/admin/**").hasAnyRole(names(SUPPORT, OPERATOR, ADMIN))
			.requestMatchers("/v1/admin/**").hasAnyRole(names(OPERATOR, ADMIN))
			.requestMatchers(GET, "/actuator/**").hasAnyRole(names(OPERATOR, ADMIN));

		// Catalog and stock: everybody signed in reads, operators change.
		rules.requestMatchers(GET, "/v1/products/**", "/v1/inventory/**").authenticated()
			.requestMatchers(PUT, "/v1/products/**").hasAnyRole(names(OPERATOR, ADMIN))
			.requestMatchers(POST, "/v1/inventory/**").hasAnyRole(names(OPERATOR, ADMIN));

		// Orders: customers their own (checked on the caller), merchant backends and operators for
		// a named customer; support reads. Refunds and receiving returns are for operators.
		rules.requestMatchers(POST, "/v1/orders/*/refunds", "/v1/orders/*/returns/*/receive")
			.hasAnyRole(names(OPERATOR, ADMIN))
			.requestMatchers(GET, "/v1/orders", "/v1/orders/**").hasAnyRole(names(CUSTOMER, SERVICE, SUPPORT, OPERATOR, ADMIN))
			.requestMatchers(POST, "/v1/orders", "/v1/orders/**").hasAnyRole(names(CUSTOMER, SERVICE, OPERATOR, ADMIN))
			.requestMatchers(PUT, "/v1/orders/*/shipping-address").hasAnyRole(names(CUSTOMER, SERVICE, OPERATOR, ADMIN))
			.requestMatchers(DELETE, "/v1/orders/*/items/*").hasAnyRole(names(CUSTOMER, SERVICE, OPERATOR, ADMIN));

		// Notifications: other systems and operators send; a customer reads their own (checked on the
		// caller) and sets their own preferences, as operators may; everybody signed in has a feed.
		rules.requestMatchers(POST, "/v1/notifications/broadcasts", "/v1/notifications/*/retry").hasAnyRole(names(OPERATOR, ADMIN))
			.requestMatchers(GET, "/v1/notifications/broadcasts/*").hasAnyRole(names(SUPPORT, OPERATOR, ADMIN))
			.requestMatchers(POST, "/v1/notifications").hasAnyRole(names(SERVICE, OPERATOR, ADMIN))
			.requestMatchers(GET, "/v1/notifications", "/v1/notifications/*")
			.hasAnyRole(names(CUSTOMER, SERVICE, SUPPORT, OPERATOR, ADMIN))
			.requestMatchers(GET, "/v1/customers/*/notification-preferences")
			.hasAnyRole(names(CUSTOMER, SUPPORT, OPERATOR, ADMIN))
			.requestMatchers(PUT, "/v1/customers/*/notification-preferences").hasAnyRole(names(CUSTOMER, OPERATOR, ADMIN))
			.requestMatchers(GET, "/v1/me/notifications").authenticated()
			.requestMatchers(POST, "/v1/me/notifications/*/read").authenticated();

		// Short links: the same shape.
		rules.requestMatchers(GET, "/v1/links/**").hasAnyRole(names(CUSTOMER, SERVICE, SUPPORT, OPERATOR, ADMIN))
			.requestMatchers(POST, "/v1/links").hasAnyRole(names(CUSTOMER, SERVICE, OPERATOR, ADMIN))
			.requestMatchers(DELETE, "/v1/links/**").hasAnyRole(names(CUSTOMER, SERVICE, OPERATOR, ADMIN));

		rules.requestMatchers("/v1/**").authenticated().anyRequest().denyAll();
	}

	private static String[] names(Role... roles) {
		return Arrays.stream(roles).map(Role::name).toArray(String[]::new);
	}
}
