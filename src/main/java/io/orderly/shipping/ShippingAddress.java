package io.orderly.shipping;

/** Where a shipment goes; {@code country} is an assigned ISO 3166-1 alpha-2 code. */
public record ShippingAddress(String name, String line1, String line2, String city, String postalCode,
		String country) {

	public ShippingAddress {
		requireText(name, "name", 200);
		requireText(line1, "line1", 200);
		if (line2 != null && line2.length() > 200) {
			throw new IllegalArgumentException("line2 must be at most 200 characters");
		}
		requireText(city, "city", 100);
		requireText(postalCode, "postalCode", 20);
		if (!CountryCode.Check.isAssigned(country)) {
			throw new IllegalArgumentException("country must be an assigned ISO 3166-1 alpha-2 code such as DE");
		}
	}

	private static void requireText(String value, String field, int max) {
		if (value == null || value.isBlank() || value.length() > max) {
			throw new IllegalArgumentException(field + " must be 1 to " + max + " characters");
		}
	}
}
