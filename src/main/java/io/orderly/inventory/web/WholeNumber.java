package io.orderly.inventory.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a JSON integer and nothing else. Jackson would otherwise truncate {@code 12.99} to
 * {@code 12} and read {@code "12"} as a number; for money and stock units that silently
 * changes what the client asked for, so both are refused as the wrong type.
 */
final class WholeNumber extends ValueDeserializer<Long> {

	@Override
	public Long deserialize(JsonParser parser, DeserializationContext context) {
		if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
			return parser.getLongValue();
		}
		return (Long) context.handleUnexpectedToken(Long.class, parser);
	}
}
