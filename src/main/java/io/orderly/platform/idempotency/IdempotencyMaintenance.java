package io.orderly.platform.idempotency;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

@Component
class IdempotencyMaintenance {

	private final IdempotencyKeys keys;

	IdempotencyMaintenance(IdempotencyKeys keys) {
		this.keys = keys;
	}

	@Scheduled(fixedDelayString = "${orderly.idempotency.purge-interval:5m}", initialDelayString = "30s")
	void purgeExpired() {
		keys.purgeExpired();
	}
}
