package io.orderly.edge;

import java.util.Objects;
import java.util.Set;

/**
 * The authenticated caller of a request, as controllers receive it (declare a parameter of
 * this type). A caller whose only business role is {@code customer} acts for themself: the
 * customer id comes from the token, never from the request.
 *
 * @param subject the token's subject: a user name or a client id
 * @param roles what the caller may do
 */
public record Caller(String subject, Set<Role> roles) {

	public Caller {
		Objects.requireNonNull(subject, "subject");
		roles = Set.copyOf(roles);
	}

	public boolean has(Role role) {
		return roles.contains(role);
	}

	/**
	 * Whether the caller is limited to their own resources: a customer with no role that
	 * acts for others ({@code service}, {@code support}, {@code operator}, {@code admin}).
	 */
	public boolean isCustomer() {
		return has(Role.CUSTOMER) && !has(Role.SERVICE) && !has(Role.SUPPORT) && !has(Role.OPERATOR)
				&& !has(Role.ADMIN);
	}

	/** The customer this caller acts for when limited to their own resources: the subject. */
	public String customerId() {
		return subject;
	}

	/** Whether the caller may see or act on a resource of this customer. */
	public boolean mayAccess(String ownerCustomerId) {
		return !isCustomer() || subject.equals(ownerCustomerId);
	}
}
