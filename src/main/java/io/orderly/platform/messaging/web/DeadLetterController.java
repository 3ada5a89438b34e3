package io.orderly.platform.messaging.web;

import java.util.List;
import java.util.UUID;

import io.orderly.platform.messaging.DeadLetter;
import io.orderly.platform.messaging.DeadLetters;
import io.orderly.platform.web.ProblemException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of messages that failed every attempt. */
@RestController
@RequestMapping("/v1/admin/dead-letters")
class DeadLetterController {

	private final DeadLetters deadLetters;

	DeadLetterController(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	/** One page of dead letters, oldest first; {@code next} is the cursor of the page after. */
	record Page(List<DeadLetter> items, String next) {
	}

	@GetMapping
	Page list(@RequestParam(defaultValue = "DEAD") @Pattern(regexp = "DEAD|REPLAYED|DISCARDED") String status,
			@RequestParam(required = false) String subscription, @RequestParam(required = false) UUID after,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		List<DeadLetter> items = deadLetters.list(status, subscription, after, limit);
		String next = items.size() == limit ? items.getLast().id().toString() : null;
		return new Page(items, next);
	}

	@GetMapping("/{id}")
	DeadLetter get(@PathVariable UUID id) {
		return deadLetters.find(id).orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "not-found",
				"Not found", "No dead letter " + id + "."));
	}

	@PostMapping("/{id}/replay")
	ResponseEntity<DeadLetter> replay(@PathVariable UUID id) {
		return ResponseEntity.accepted().body(deadLetters.replay(id));
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> discard(@PathVariable UUID id) {
		deadLetters.discard(id);
		return ResponseEntity.noContent().build();
	}
}
