/**
 * The edge: who the caller is and what they may do.
 *
 * <p>Every {@code /v1/**} request carries a bearer JWT from the configured OpenID Connect
 * issuer: the embedded one (Spring Authorization Server at the same origin, keys and
 * accounts in schema {@code edge}) by default, or any standard issuer such as Keycloak with
 * {@code orderly.auth.issuer-uri}. Tokens are checked against the issuer's keys (RS256),
 * issuer, audience and times with a clock-skew leeway; roles come from a claim. The rules
 * per path and role are in {@link io.orderly.edge.internal.AccessRules}; object-level rules
 * (a customer sees only their own orders) use the {@link Caller} that controllers receive.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Edge", allowedDependencies = "platform")
package io.orderly.edge;
