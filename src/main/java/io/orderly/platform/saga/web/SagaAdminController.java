package io.orderly.platform.saga.web;

import java.util.List;

import io.orderly.platform.saga.SagaHistoryEntry;
import io.orderly.platform.saga.SagaInstance;
import io.orderly.platform.saga.SagaState;
import io.orderly.platform.saga.Sagas;
import io.orderly.platform.web.ProblemException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of sagas: the needs-attention list, one saga with its history, retry, resolve. */
@RestController
@RequestMapping("/v1/admin/sagas")
class SagaAdminController {

	private final Sagas sagas;

	SagaAdminController(Sagas sagas) {
		this.sagas = sagas;
	}

	record Page(List<SagaInstance> items, String next) {
	}

	record Detail(SagaInstance saga, List<SagaHistoryEntry> history) {
	}

	@GetMapping
	Page list(@RequestParam(defaultValue = "NEEDS_ATTENTION") SagaState state,
			@RequestParam(required = false) String after, @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		List<SagaInstance> items = sagas.list(state, after, limit);
		return new Page(items, items.size() == limit ? items.getLast().id() : null);
	}

	@GetMapping("/{id}")
	Detail get(@PathVariable String id) {
		return new Detail(sagas.find(id).orElseThrow(() -> notFound(id)), sagas.history(id));
	}

	@PostMapping("/{id}/retry")
	SagaInstance retry(@PathVariable String id) {
		return sagas.retry(id).orElseThrow(() -> notFound(id));
	}

	@PostMapping("/{id}/resolve")
	SagaInstance resolve(@PathVariable String id) {
		return sagas.resolve(id).orElseThrow(() -> notFound(id));
	}

	private static ProblemException notFound(String id) {
		return new ProblemException(HttpStatus.NOT_FOUND, "not-found", "Not found", "No saga " + id + ".");
	}
}
