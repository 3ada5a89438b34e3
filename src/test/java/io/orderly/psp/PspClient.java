package io.orderly.psp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.orderly.Http;

/** The PSP simulator's API as a test uses it: its own port for payments, the platform's for the rest. */
final class PspClient {

	final Http psp;

	final Http platform;

	PspClient(int pspPort, int platformPort) {
		this.psp = Http.anonymous(pspPort);
		this.platform = new Http(platformPort);
	}

	static String newReference() {
		return "order-" + UUID.randomUUID();
	}

	static String newKey() {
		return "key-" + UUID.randomUUID();
	}

	Http.Response authorize(String key, String reference, long amountMinor, String token) {
		return psp.post("/psp/v1/authorizations", Http.toJson(Map.of("reference", reference, "amountMinor", amountMinor,
				"currency", "EUR", "token", token)), Map.of("Idempotency-Key", key));
	}

	Http.Response capture(String key, String authorizationId, Long amountMinor) {
		return psp.post("/psp/v1/authorizations/" + authorizationId + "/capture", amount(amountMinor),
				Map.of("Idempotency-Key", key));
	}

	Http.Response voidAuthorization(String key, String authorizationId) {
		return psp.post("/psp/v1/authorizations/" + authorizationId + "/void", "", Map.of("Idempotency-Key", key));
	}

	Http.Response refund(String key, String authorizationId, Long amountMinor) {
		return psp.post("/psp/v1/authorizations/" + authorizationId + "/refunds", amount(amountMinor),
				Map.of("Idempotency-Key", key));
	}

	/** What the simulator really did for {@code reference}, from its records on the platform's port. */
	Http.Response charges(String reference) {
		return platform.get("/psp/v1/charges?reference=" + reference);
	}

	Http.Response setFaults(String json) {
		return platform.put("/psp/admin/faults", json, Map.of());
	}

	Http.Response resetFaults() {
		return platform.delete("/psp/admin/faults");
	}

	private static String amount(Long amountMinor) {
		Map<String, Object> body = new LinkedHashMap<>();
		if (amountMinor != null) {
			body.put("amountMinor", amountMinor);
		}
		return Http.toJson(body);
	}
}
