package io.orderly.payment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orderly.Http;
import tools.jackson.databind.JsonNode;

/**
 * The provider as a test sees it from outside: its own records of what it did per reference
 * ({@code /psp/v1/charges}, never faulted) and its fault switch, both on the platform's port.
 */
final class PspRecords {

	private final Http platform;

	PspRecords(int platformPort) {
		this.platform = new Http(platformPort);
	}

	/** Every authorization the provider holds for the order, oldest first. */
	List<JsonNode> authorizations(String orderId) {
		Http.Response response = platform.get("/psp/v1/charges?reference=" + orderId);
		if (response.status() != 200) {
			throw new IllegalStateException("PSP records answered " + response.status() + ": " + response.body());
		}
		List<JsonNode> items = new ArrayList<>();
		response.json().get("items").forEach(items::add);
		return items;
	}

	/** The provider's operations of one type (AUTHORIZE, CAPTURE, VOID, REFUND) for the order. */
	long operations(String orderId, String type) {
		return authorizations(orderId).stream()
			.flatMap(authorization -> authorization.get("operations").valueStream())
			.filter(operation -> type.equals(operation.get("type").asString()))
			.count();
	}

	void faults(String json) {
		Http.Response response = platform.put("/psp/admin/faults", json, Map.of());
		if (response.status() != 200) {
			throw new IllegalStateException("Setting PSP faults answered " + response.status() + ": " + response.body());
		}
	}

	void resetFaults() {
		platform.delete("/psp/admin/faults");
	}
}
