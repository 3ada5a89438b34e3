package io.orderly.notification.internal;

import java.util.Locale;

/**
 * How urgent a notification is; each has its own queue and workers. Critical messages (security,
 * payment problems) ignore quiet hours and digests; marketing is the only category a customer
 * may opt out of on every channel.
 */
public enum Priority {

	CRITICAL, TRANSACTIONAL, MARKETING;

	static Priority parse(String name) {
		return valueOf(name.trim().toUpperCase(Locale.ROOT));
	}

	/** The opt-out category: marketing, or transactional for everything else. */
	Category category() {
		return this == MARKETING ? Category.MARKETING : Category.TRANSACTIONAL;
	}

	public enum Category {

		TRANSACTIONAL, MARKETING;

		static Category parse(String name) {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		}
	}
}
