package io.orderly.platform.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies mean exactly what they say or are refused (400, the field named): a key given
 * twice, a number sent as text ({@code "quantity": "1"}) or text as a number, and text that
 * cannot be stored (a NUL, which PostgreSQL refuses, or a lone UTF-16 surrogate, which would be
 * stored as {@code ?}) are errors, not guesses.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

	/** Text in a request that cannot be stored as it was sent. */
	static final class UnstorableTextException extends MismatchedInputException {

		UnstorableTextException(JsonParser parser) {
			super(parser, "contains a character that cannot be stored (NUL or a lone surrogate)", String.class);
		}
	}

	@Bean
	JsonMapperBuilderCustomizer strictRequestBodies() {
		return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.withCoercionConfig(LogicalType.Integer, numbers -> numbers.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Float, numbers -> numbers.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean, flags -> flags.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
			.addModule(new SimpleModule("orderly-strict-text").addDeserializer(String.class, new StorableText()));
	}

	/** A JSON string that can be stored; a number, boolean or anything else where text belongs is refused. */
	static final class StorableText extends ValueDeserializer<String> {

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) {
			if (!parser.hasToken(JsonToken.VALUE_STRING)) {
				return (String) context.handleUnexpectedToken(String.class, parser);
			}
			String text = parser.getString();
			if (!Text.storable(text)) {
				throw new UnstorableTextException(parser);
			}
			return text;
		}
	}
}
