package io.orderly.inventory;

import io.orderly.IntegrationTest;
import io.orderly.inventory.internal.Stock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A newcomer's first start: an empty embedded database gets products with stock. */
@IntegrationTest
@TestPropertySource(properties = "orderly.inventory.demo-data=true")
class InventoryDemoDataIntegrationTest {

	@Autowired
	Catalog catalog;

	@Autowired
	Stock stock;

	@Test
	void seedsProductsWithStockIntoAnEmptyCatalog() {
		assertThat(catalog.findAll(java.util.List.of("MUG", "TSHIRT", "POSTER"))).hasSize(3);
		assertThat(catalog.find("MUG")).contains(new Product("MUG", "Mug", 1299, "EUR"));
		assertThat(stock.levels("MUG").orElseThrow().available()).isPositive();
	}
}
