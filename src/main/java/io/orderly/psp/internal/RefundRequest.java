package io.orderly.psp.internal;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Give back captured funds.
 *
 * @param amountMinor at most what was captured and not yet refunded; absent means all of that
 */
@Schema(name = "PspRefundRequest")
public record RefundRequest(@Schema(example = "2598", minimum = "1") @JsonDeserialize(using = WholeMinorUnits.class) Long amountMinor) {

	public RefundRequest {
		amountMinor = PspAmounts.check("amountMinor", amountMinor, false);
	}
}
