package io.orderly.inventory;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The catalog's read-only query API, for other modules (the order module prices orders with it). */
@Component
public class Catalog {

	private final JdbcClient jdbc;

	Catalog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Transactional(readOnly = true)
	public Optional<Product> find(String sku) {
		return jdbc.sql("select sku, name, price_minor, currency from inventory.products where sku = :sku")
			.param("sku", sku)
			.query(Product.class)
			.optional();
	}

	/** The products of {@code skus} that exist, by sku. */
	@Transactional(readOnly = true)
	public Map<String, Product> findAll(Collection<String> skus) {
		if (skus.isEmpty()) {
			return Map.of();
		}
		return jdbc.sql("select sku, name, price_minor, currency from inventory.products where sku in (:skus)")
			.param("skus", skus)
			.query(Product.class)
			.list()
			.stream()
			.collect(Collectors.toMap(Product::sku, Function.identity()));
	}
}
