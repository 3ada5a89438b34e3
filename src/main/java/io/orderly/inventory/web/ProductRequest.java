package io.orderly.inventory.web;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.annotation.JsonDeserialize;

/** A product's name and unit price in minor units of an ISO 4217 currency. */
@Schema(description = "A product's name and unit price")
record ProductRequest(
		@Schema(example = "Mug") @NotBlank @Size(max = 200) String name,
		@Schema(example = "1299", description = "Unit price in minor units (cents)")
		@JsonDeserialize(using = WholeNumber.class) @NotNull @PositiveOrZero @Max(1_000_000_000_000L) Long priceMinor,
		@Schema(example = "EUR", description = "ISO 4217 currency code") @NotNull @CurrencyCode String currency) {
}
