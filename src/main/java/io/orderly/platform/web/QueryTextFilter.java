package io.orderly.platform.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A query string whose parameters cannot be read as stored text is refused with a 400 problem
 * naming them, before anything uses them: a broken percent-encoding ({@code %%}), bytes that are
 * not UTF-8 ({@code %FF%FE}), a NUL ({@code %00}) or a lone surrogate. (Left alone, the
 * container silently drops such a parameter or the database refuses it with a 500.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 41)
class QueryTextFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query != null && !query.isEmpty()) {
			List<Problems.FieldError> errors = new ArrayList<>();
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				String rawName = equals < 0 ? pair : pair.substring(0, equals);
				String name = decode(rawName);
				String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
				if (name == null || value == null || !Text.storable(name) || !Text.storable(value)) {
					String shown = name != null && Text.storable(name) && name.length() <= 64 ? name : "query";
					errors.add(new Problems.FieldError(shown,
							"is not valid text (percent-encoded UTF-8 without NUL or lone surrogates)"));
				}
			}
			if (!errors.isEmpty()) {
				Problems.write(response, Problems.validation("The query string has parameters that are not valid text.", errors));
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/** Percent-decodes strictly ({@code +} is a space); null when the encoding or the UTF-8 is broken. */
	static String decode(String raw) {
		ByteBuffer bytes = ByteBuffer.allocate(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length()) {
					return null;
				}
				int high = Character.digit(raw.charAt(i + 1), 16);
				int low = Character.digit(raw.charAt(i + 2), 16);
				if (high < 0 || low < 0) {
					return null;
				}
				bytes.put((byte) (high * 16 + low));
				i += 2;
			}
			else if (c == '+') {
				bytes.put((byte) ' ');
			}
			else if (c > 0x7F) {
				return null;
			}
			else {
				bytes.put((byte) c);
			}
		}
		bytes.flip();
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(bytes)
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}
}
