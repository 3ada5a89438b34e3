package io.orderly.psp.internal;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** Every authorization the simulator holds for one reference, oldest first. */
@Schema(name = "PspAuthorizationList")
public record AuthorizationList(String reference, List<AuthorizationView> items) {

	public AuthorizationList {
		items = List.copyOf(items);
	}
}
