package io.orderly.platform.messaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Turns payload records into JSON and back. Reading is tolerant, as schema evolution needs:
 * unknown fields are ignored and an unknown enum value becomes the constant marked
 * {@code @JsonEnumDefaultValue} (or null).
 */
@Component
public class MessageCodec {

	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
		.enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
		.build();

	private final Map<Class<?>, String> typeNames = new ConcurrentHashMap<>();

	public String typeOf(Class<?> payloadType) {
		return typeNames.computeIfAbsent(payloadType, MessageCodec::readTypeName);
	}

	public String write(Object value) {
		return json.writeValueAsString(value);
	}

	public <T> T read(String payload, Class<T> type) {
		return json.readValue(payload, type);
	}

	@SuppressWarnings("unchecked")
	public Map<String, String> readHeaders(String headers) {
		return json.readValue(headers, Map.class);
	}

	private static String readTypeName(Class<?> payloadType) {
		MessageType annotation = payloadType.getAnnotation(MessageType.class);
		if (annotation == null) {
			throw new IllegalArgumentException(payloadType.getName() + " is not annotated with @MessageType");
		}
		return annotation.value();
	}
}
