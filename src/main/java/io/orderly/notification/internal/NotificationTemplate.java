package io.orderly.notification.internal;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of each notification, with {@code {name}} placeholders. Values are inserted
 * literally: a value that itself contains braces is not expanded again.
 */
enum NotificationTemplate {

	ORDER_CONFIRMED("order-confirmed", "Your order {orderId} is confirmed",
			"Your order {orderId} is confirmed, total {amount}. We will let you know when it ships."),

	ORDER_CANCELLED("order-cancelled", "Your order {orderId} was cancelled",
			"Your order {orderId} was cancelled: {reason}. We are sorry for the trouble."),

	CANCELLATION_REJECTED("cancellation-rejected", "Your order {orderId} could not be cancelled",
			"We could not cancel your order {orderId}: {reason}. It goes ahead and is on its way; "
					+ "you can return it once it arrives."),

	ORDER_REFUNDED("order-refunded", "A refund for your order {orderId}",
			"We refunded {amount} for your order {orderId} ({reason}). It reaches your card within a few days.");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

	private static final int MAX_VALUE_LENGTH = 200;

	private final String id;

	private final String subject;

	private final String body;

	NotificationTemplate(String id, String subject, String body) {
		this.id = id;
		this.subject = subject;
		this.body = body;
	}

	/** The name stored with each delivery. */
	String id() {
		return id;
	}

	record Rendered(String subject, String body) {
	}

	/** @throws IllegalArgumentException if a placeholder has no value */
	Rendered render(Map<String, String> values) {
		return new Rendered(fill(subject, values), fill(body, values));
	}

	private static String fill(String text, Map<String, String> values) {
		return PLACEHOLDER.matcher(text).replaceAll(match -> {
			String value = values.get(match.group(1));
			if (value == null) {
				throw new IllegalArgumentException("No value for {" + match.group(1) + "}");
			}
			return Matcher.quoteReplacement(printable(value));
		});
	}

	/** Money in minor units as the customer reads it: 2598 EUR is "25.98 EUR", 1299 JPY "1299 JPY". */
	static String amount(long minor, String currency) {
		int digits = 2;
		try {
			digits = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
		}
		catch (IllegalArgumentException | NullPointerException unknownCurrency) {
			// Still tell the customer the amount; an unknown code keeps two decimals.
		}
		return BigDecimal.valueOf(minor, digits).toPlainString() + (currency == null ? "" : " " + currency);
	}

	/** A reason code as words: {@code payment_declined} reads "payment declined". */
	static String reason(String code) {
		return code == null || code.isBlank() ? "no reason given" : code.replace('_', ' ').trim();
	}

	/** No control characters (no header or line injection) and a bounded length. */
	private static String printable(String value) {
		String clean = value.replaceAll("\\p{Cntrl}", " ");
		return clean.length() > MAX_VALUE_LENGTH ? clean.substring(0, MAX_VALUE_LENGTH) : clean;
	}
}
