package io.orderly.inventory;

import java.util.Collection;
import java.util.List;
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

	/** A page of the catalog in sku order; {@code next} is the sku to continue after, null on the last page. */
	public record ProductPage(List<Product> items, String next) {
	}

	/**
	 * Up to {@code limit} products with skus after {@code after} (from the start when null), in
	 * sku order: code-point order (collation "C"), the same on every server whatever its locale.
	 */
	@Transactional(readOnly = true)
	public ProductPage page(String after, int limit) {
		List<Product> rows = jdbc.sql("""
				select sku, name, price_minor, currency from inventory.products
				where (cast(:after as text) is null or sku > :after collate "C") order by sku collate "C" limit :limit""")
			.param("after", after)
			.param("limit", limit + 1)
			.query(Product.class)
			.list();
		boolean more = rows.size() > limit;
		List<Product> items = more ? rows.subList(0, limit) : rows;
		return new ProductPage(List.copyOf(items), more ? items.getLast().sku() : null);
	}
}
