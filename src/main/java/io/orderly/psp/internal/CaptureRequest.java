package io.orderly.psp.internal;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * Take funds held by an authorization.
 *
 * @param amountMinor at most the authorized amount; absent means all of it
 */
@Schema(name = "PspCaptureRequest")
public record CaptureRequest(@Schema(example = "2598", minimum = "1") @JsonDeserialize(using = WholeMinorUnits.class) Long amountMinor) {

	public CaptureRequest {
		amountMinor = PspAmounts.check("amountMinor", amountMinor, false);
	}
}
