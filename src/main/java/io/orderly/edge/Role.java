package io.orderly.edge;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may do, as named in the token's roles claim (lower case).
 * {@code support} reads what operators read and changes nothing; {@code service} is a
 * merchant backend acting for its customers and names the customer in each request.
 */
public enum Role {

	CUSTOMER, SUPPORT, OPERATOR, ADMIN, SERVICE;

	/** The name in tokens and documents: {@code customer}, {@code operator}, ... */
	public String claimValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The Spring Security authority, {@code ROLE_CUSTOMER} and so on. */
	public String authority() {
		return "ROLE_" + name();
	}

	/** The role a claim value names, if any; unknown values are ignored, not refused. */
	public static Optional<Role> fromClaim(String value) {
		for (Role role : values()) {
			if (role.claimValue().equals(value)) {
				return Optional.of(role);
			}
		}
		return Optional.empty();
	}
}
