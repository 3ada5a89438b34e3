package io.orderly.notification.internal;

import java.util.Locale;

/** How a notification reaches its recipient. Written in requests in lower case ({@code in_app}). */
public enum Channel {

	EMAIL, SMS, PUSH, IN_APP;

	/** @throws IllegalArgumentException for a name that is not a channel */
	static Channel parse(String name) {
		return valueOf(name.trim().toUpperCase(Locale.ROOT));
	}

	String wire() {
		return name().toLowerCase(Locale.ROOT);
	}
}
