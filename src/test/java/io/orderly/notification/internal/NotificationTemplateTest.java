package io.orderly.notification.internal;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NotificationTemplateTest {

	@Test
	void rendersTheConfirmationWithTheTotal() {
		NotificationTemplate.Rendered rendered = NotificationTemplate.ORDER_CONFIRMED
			.render(Map.of("orderId", "o-1", "amount", NotificationTemplate.amount(2598, "EUR")));

		assertThat(rendered.subject()).isEqualTo("Your order o-1 is confirmed");
		assertThat(rendered.body()).startsWith("Your order o-1 is confirmed, total 25.98 EUR.");
	}

	@Test
	void formatsAmountsWithTheCurrencysDecimals() {
		assertThat(NotificationTemplate.amount(1299, "JPY")).isEqualTo("1299 JPY");
		assertThat(NotificationTemplate.amount(5, "EUR")).isEqualTo("0.05 EUR");
		assertThat(NotificationTemplate.amount(12345, "KWD")).isEqualTo("12.345 KWD");
		assertThat(NotificationTemplate.amount(1299, "ZZZ")).isEqualTo("12.99 ZZZ");
	}

	@Test
	void rendersTheCancellationReasonAsWords() {
		NotificationTemplate.Rendered rendered = NotificationTemplate.ORDER_CANCELLED
			.render(Map.of("orderId", "o-1", "reason", NotificationTemplate.reason("out_of_stock")));

		assertThat(rendered.body()).startsWith("Your order o-1 was cancelled: out of stock.");
		assertThat(NotificationTemplate.reason(null)).isEqualTo("no reason given");
	}

	@Test
	void insertsValuesLiterallyWithoutControlCharacters() {
		NotificationTemplate.Rendered rendered = NotificationTemplate.ORDER_CANCELLED
			.render(Map.of("orderId", "{reason}$1\\", "reason", "a\r\nBcc: x".repeat(100)));

		assertThat(rendered.subject()).isEqualTo("Your order {reason}$1\\ was cancelled");
		assertThat(rendered.body()).doesNotContain("\r", "\n").contains("a  Bcc: x");
		assertThat(rendered.body().length()).isLessThan(300);
	}

	@Test
	void refusesAMissingValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NotificationTemplate.ORDER_CONFIRMED.render(Map.of("orderId", "o-1")))
			.withMessageContaining("{amount}");
	}
}
