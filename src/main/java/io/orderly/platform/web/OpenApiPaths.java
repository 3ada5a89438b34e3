package io.orderly.platform.web;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Leaves paths out of a served document, with the schemas only they used. Springdoc's own
 * {@code springdoc.paths-to-exclude} cannot do it: it applies to every group, so a path left
 * out of the API's document could not be in a document of its own either.
 */
public final class OpenApiPaths {

	private static final Pattern SCHEMA_REFERENCE = Pattern.compile("\"#/components/schemas/([^\"]+)\"");

	private OpenApiPaths() {
	}

	/** Removes every path starting with {@code prefix}, then every schema nothing left refers to. */
	public static OpenApiCustomizer without(String prefix) {
		return api -> {
			if (api.getPaths() != null) {
				api.getPaths().keySet().removeIf(path -> path.startsWith(prefix));
			}
			keepOnlyReferencedSchemas(api);
		};
	}

	@SuppressWarnings("rawtypes")
	private static void keepOnlyReferencedSchemas(OpenAPI api) {
		if (api.getComponents() == null || api.getComponents().getSchemas() == null) {
			return;
		}
		var schemas = api.getComponents().getSchemas();
		Set<String> referenced = new HashSet<>();
		Set<String> found = references(api.getPaths());
		while (!found.isEmpty()) {
			Set<String> next = new HashSet<>();
			for (String name : found) {
				Schema schema = schemas.get(name);
				if (referenced.add(name) && schema != null) {
					next.addAll(references(schema));
				}
			}
			found = next;
		}
		schemas.keySet().retainAll(referenced);
	}

	private static Set<String> references(Object part) {
		Set<String> names = new HashSet<>();
		if (part == null) {
			return names;
		}
		try {
			Matcher matcher = SCHEMA_REFERENCE.matcher(Json.mapper().writeValueAsString(part));
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
			throw new IllegalStateException("The OpenAPI document cannot be written", ex);
		}
		return names;
	}
}
