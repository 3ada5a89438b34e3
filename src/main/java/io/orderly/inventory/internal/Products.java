package io.orderly.inventory.internal;

import java.sql.Timestamp;
import java.time.Clock;

import io.orderly.inventory.Product;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Writes the catalog; reading it is {@link io.orderly.inventory.Catalog}'s job. */
@Component
public class Products {

	private final JdbcClient jdbc;

	private final Clock clock;

	Products(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Creates the product, with no stock, or replaces its name and price; its stock stays. */
	@Transactional
	public Product save(Product product) {
		jdbc.sql("""
				with product as (
				    insert into inventory.products (sku, name, price_minor, currency, created_at, updated_at)
				    values (:sku, :name, :priceMinor, :currency, :now, :now)
				    on conflict (sku) do update
				       set name = excluded.name, price_minor = excluded.price_minor, currency = excluded.currency,
				           updated_at = excluded.updated_at
				    returning sku)
				insert into inventory.stock (sku, on_hand, reserved, updated_at)
				select sku, 0, 0, :now from product
				on conflict (sku) do nothing""")
			.param("sku", product.sku())
			.param("name", product.name())
			.param("priceMinor", product.priceMinor())
			.param("currency", product.currency())
			.param("now", Timestamp.from(clock.instant()))
			.update();
		return product;
	}
}
