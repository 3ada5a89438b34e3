package io.orderly.order;

/** {@code quantity} units of {@code sku} at the catalog price when the order was placed. */
public record OrderLine(String sku, int quantity, long unitPriceMinor) {
}
