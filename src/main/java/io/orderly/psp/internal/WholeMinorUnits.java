package io.orderly.psp.internal;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads an amount in minor units only from a JSON integer: {@code 12.5} or {@code "12"} is
 * refused as the wrong type instead of being cut down to 12.
 */
class WholeMinorUnits extends ValueDeserializer<Long> {

	@Override
	public Long deserialize(JsonParser parser, DeserializationContext context) {
		if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
			return (Long) context.handleUnexpectedToken(Long.class, parser);
		}
		return parser.getLongValue();
	}
}
