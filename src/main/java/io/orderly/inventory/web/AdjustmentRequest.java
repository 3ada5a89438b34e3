package io.orderly.inventory.web;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.annotation.JsonDeserialize;

/** Units to add to (or, negative, remove from) a product's stock on hand, and why. */
@Schema(description = "A change of the units on hand")
record AdjustmentRequest(
		@Schema(example = "100", description = "Units to add; negative to remove")
		@JsonDeserialize(using = WholeNumber.class) @NotNull @Min(-1_000_000_000) @Max(1_000_000_000) Long delta,
		@Schema(example = "restock") @NotBlank @Size(max = 200) String reason) {
}
