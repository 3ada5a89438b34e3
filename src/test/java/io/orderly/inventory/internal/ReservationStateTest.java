package io.orderly.inventory.internal;

import java.util.List;
import java.util.Map;

import io.orderly.inventory.ReserveStock.Line;
import org.junit.jupiter.api.Test;

import static io.orderly.inventory.internal.ReservationState.COMMITTED;
import static io.orderly.inventory.internal.ReservationState.EXPIRED;
import static io.orderly.inventory.internal.ReservationState.FAILED;
import static io.orderly.inventory.internal.ReservationState.RELEASED;
import static io.orderly.inventory.internal.ReservationState.RESERVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ReservationStateTest {

	@Test
	void allowsOnlyTheDocumentedTransitions() {
		assertThat(RESERVED.moveTo(COMMITTED)).isEqualTo(COMMITTED);
		assertThat(RESERVED.moveTo(RELEASED)).isEqualTo(RELEASED);
		assertThat(RESERVED.moveTo(EXPIRED)).isEqualTo(EXPIRED);
		assertThat(EXPIRED.moveTo(COMMITTED)).isEqualTo(COMMITTED);
		assertThat(EXPIRED.moveTo(RELEASED)).isEqualTo(RELEASED);
		assertThat(COMMITTED.moveTo(RELEASED)).isEqualTo(RELEASED);

		assertThat(COMMITTED.canMoveTo(EXPIRED)).isFalse();
		assertThat(COMMITTED.canMoveTo(RESERVED)).isFalse();
		for (ReservationState next : ReservationState.values()) {
			assertThat(RELEASED.canMoveTo(next)).as("RELEASED -> " + next).isFalse();
			assertThat(FAILED.canMoveTo(next)).as("FAILED -> " + next).isFalse();
		}
		assertThatIllegalStateException().isThrownBy(() -> RELEASED.moveTo(COMMITTED))
			.withMessage("A reservation cannot move from RELEASED to COMMITTED");
	}

	@Test
	void mergesLinesOfTheSameSkuInSkuOrder() {
		Map<String, Long> merged = Reservations.merged(
				List.of(new Line("POSTER", 1), new Line("MUG", 2), new Line("POSTER", 3), new Line("MUG", Integer.MAX_VALUE)));
		assertThat(merged).containsExactly(Map.entry("MUG", 2L + Integer.MAX_VALUE), Map.entry("POSTER", 4L));
	}

	@Test
	void undoesEachStockChangeThatCanBeTakenBack() {
		assertThat(Stock.Change.HOLD.inverse()).isEqualTo(Stock.Change.UNHOLD);
		assertThat(Stock.Change.SELL.inverse()).isEqualTo(Stock.Change.RETURN);
		for (Stock.Change change : List.of(Stock.Change.HOLD, Stock.Change.UNHOLD, Stock.Change.SELL, Stock.Change.RETURN)) {
			assertThat(change.inverse().inverse()).isEqualTo(change);
		}
	}
}
