package io.orderly.inventory.internal;

import java.util.List;

import io.orderly.inventory.Product;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.db.DatabaseProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives a newcomer something to order: a few products with stock, added when the embedded
 * database starts with an empty catalog and {@code orderly.inventory.demo-data} is on.
 */
@Component
@ConditionalOnModule("inventory")
class DemoData implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	static final long UNITS = 10_000;

	static final List<Product> PRODUCTS = List.of(new Product("MUG", "Mug", 1299, "EUR"),
			new Product("TSHIRT", "T-shirt", 2499, "EUR"), new Product("POSTER", "Poster", 999, "EUR"));

	private final InventoryProperties properties;

	private final DatabaseProperties database;

	private final JdbcClient jdbc;

	private final Products products;

	private final Stock stock;

	private final TransactionTemplate transactions;

	DemoData(InventoryProperties properties, DatabaseProperties database, JdbcClient jdbc, Products products,
			Stock stock, TransactionTemplate transactions) {
		this.properties = properties;
		this.database = database;
		this.jdbc = jdbc;
		this.products = products;
		this.stock = stock;
		this.transactions = transactions;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (properties.demoData() && database.embedded()) {
			transactions.executeWithoutResult(status -> seedIfEmpty());
		}
	}

	private void seedIfEmpty() {
		if (jdbc.sql("select exists (select 1 from inventory.products)").query(Boolean.class).single()) {
			return;
		}
		for (Product product : PRODUCTS) {
			products.save(product);
			stock.adjust(product.sku(), UNITS, "demo data");
		}
		log.info("Demo data: added {} with {} units each", PRODUCTS.stream().map(Product::sku).toList(), UNITS);
	}
}
