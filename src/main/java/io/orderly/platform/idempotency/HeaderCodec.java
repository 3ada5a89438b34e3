package io.orderly.platform.idempotency;

import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

final class HeaderCodec {

	private static final JsonMapper json = JsonMapper.builder().build();

	private HeaderCodec() {
	}

	static String write(Map<String, String> headers) {
		return json.writeValueAsString(headers);
	}

	static Map<String, String> read(String headers) {
		return headers == null ? Map.of() : json.readValue(headers, new TypeReference<Map<String, String>>() {
		});
	}
}
