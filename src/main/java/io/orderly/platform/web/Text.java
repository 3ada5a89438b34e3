package io.orderly.platform.web;

/** What text PostgreSQL can store as it was sent. */
public final class Text {

	private Text() {
	}

	/** False for a NUL (PostgreSQL refuses it) or a lone UTF-16 surrogate (it would become {@code ?}). */
	public static boolean storable(CharSequence text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\u0000') {
				return false;
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return false;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return false;
			}
		}
		return true;
	}
}
