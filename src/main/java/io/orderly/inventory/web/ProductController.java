package io.orderly.inventory.web;

import java.util.List;
import java.util.Map;

import io.orderly.inventory.Catalog;
import io.orderly.inventory.Product;
import io.orderly.inventory.internal.InventoryProperties;
import io.orderly.inventory.internal.Products;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.orderly.platform.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The catalog, for operators: products and their prices. */
@RestController
@RequestMapping("/v1/products")
@ConditionalOnModule("inventory")
@Tag(name = "Catalog and stock", description = "Operator endpoints for products, prices and stock levels")
class ProductController {

	/** The same rule as {@link Product}'s, checked here to name the field in the problem. */
	static final String SKU = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

	private final Catalog catalog;

	private final Products products;

	private final CacheControl caching;

	ProductController(Catalog catalog, Products products, InventoryProperties properties) {
		this.catalog = catalog;
		this.products = products;
		this.caching = CatalogCaching.of(properties);
	}

	@PutMapping("/{sku}")
	@Operation(summary = "Create or replace a product",
			description = "Creates the product (with no stock) or replaces its name and price; its stock is kept.")
	@ApiResponse(responseCode = "200", description = "The product as stored")
	@ApiResponse(responseCode = "400", description = "Invalid sku or body; `errors` names each bad field")
	Product put(@PathVariable String sku, @Valid @RequestBody ProductRequest request) {
		if (!sku.matches(SKU)) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
					"The request has invalid fields.", Map.of("errors", List.of(new Problems.FieldError("sku",
							"must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"))));
		}
		return products.save(new Product(sku, request.name(), request.priceMinor(), request.currency()));
	}

	@GetMapping
	@Operation(summary = "List the catalog",
			description = "Products in sku order, `limit` at a time (1 to 100, default 20); pass `next` as `after` "
					+ "for the following page (`next` is null on the last).")
	@ApiResponse(responseCode = "200", description = "A page of products")
	@ApiResponse(responseCode = "400", description = "Invalid `after` or `limit`")
	Catalog.ProductPage list(@RequestParam(required = false) @Pattern(regexp = SKU) String after,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
		return catalog.page(after, limit);
	}

	@GetMapping("/{sku}")
	@Operation(summary = "Get a product",
			description = "Cacheable by the caller (`Cache-Control: private, max-age=60`) with a strong `ETag`; "
					+ "send it back in `If-None-Match` to get a 304 while the product is unchanged.")
	@ApiResponse(responseCode = "200", description = "The product")
	@ApiResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
	@ApiResponse(responseCode = "404", description = "No product with this sku")
	ResponseEntity<Product> get(@PathVariable String sku) {
		Product product = catalog.find(sku)
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found",
					"No product with sku " + sku + "."));
		return ResponseEntity.ok().cacheControl(caching).body(product);
	}
}
