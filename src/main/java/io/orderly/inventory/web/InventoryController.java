package io.orderly.inventory.web;

import io.orderly.inventory.internal.Stock;
import io.orderly.inventory.internal.StockLevels;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Stock levels and adjustments, for operators. */
@RestController
@RequestMapping("/v1/inventory")
@ConditionalOnModule("inventory")
@Tag(name = "Catalog and stock")
class InventoryController {

	private final Stock stock;

	InventoryController(Stock stock) {
		this.stock = stock;
	}

	@GetMapping("/{sku}")
	@Operation(summary = "Get a product's stock levels")
	@ApiResponse(responseCode = "200", description = "On hand, reserved for orders, and available")
	@ApiResponse(responseCode = "404", description = "No product with this sku")
	StockLevels levels(@PathVariable String sku) {
		return stock.levels(sku).orElseThrow(() -> notFound(sku));
	}

	@PostMapping("/{sku}/adjustments")
	@Operation(summary = "Adjust a product's stock on hand",
			description = "Adds `delta` units (negative to remove). Units reserved for orders cannot be adjusted "
					+ "away: a delta that would leave fewer units on hand than reserved is refused with 409. "
					+ "Concurrent adjustments never lose an update; a repeated Idempotency-Key applies once.")
	@ApiResponse(responseCode = "200", description = "The new stock levels")
	@ApiResponse(responseCode = "400", description = "Invalid body or missing Idempotency-Key")
	@ApiResponse(responseCode = "404", description = "No product with this sku")
	@ApiResponse(responseCode = "409", description = "On hand would fall below the units reserved (or below zero)")
	StockLevels adjust(@PathVariable String sku,
			@Parameter(description = "Makes retries safe: the same key and request answer the same, once",
					example = "3f2c9a4e-restock-1") @RequestHeader("Idempotency-Key") String idempotencyKey,
			@Valid @RequestBody AdjustmentRequest request) {
		return stock.adjust(sku, request.delta(), request.reason());
	}

	private static ProblemException notFound(String sku) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No product with sku " + sku + ".");
	}
}
