package io.orderly.inventory;

/**
 * A product of the catalog: its sku, name and unit price in minor units of {@code currency}
 * (ISO 4217).
 */
public record Product(String sku, String name, long priceMinor, String currency) {

	public Product {
		if (sku == null || !sku.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
			throw new IllegalArgumentException("sku must be 1 to 64 letters, digits, '.', '_' or '-'");
		}
		if (name == null || name.isBlank() || name.length() > 200) {
			throw new IllegalArgumentException("name must be 1 to 200 characters");
		}
		if (priceMinor < 0) {
			throw new IllegalArgumentException("priceMinor must not be negative");
		}
		if (currency == null || !currency.matches("[A-Z]{3}")) {
			throw new IllegalArgumentException("currency must be an ISO 4217 code such as EUR");
		}
	}
}
