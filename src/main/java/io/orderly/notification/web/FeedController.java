package io.orderly.notification.web;

import java.util.UUID;

import io.orderly.edge.Caller;
import io.orderly.notification.internal.NotificationFeed;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The caller's in-app feed. */
@RestController
@RequestMapping("/v1/me/notifications")
@ConditionalOnModule("notification")
class FeedController {

	private final NotificationFeed feed;

	FeedController(NotificationFeed feed) {
		this.feed = feed;
	}

	@Operation(summary = "Read my notifications", description = """
			The caller's in-app notifications, newest first, a page at a time (cursor: the last item's id), with \
			the count of unread ones.""")
	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	NotificationFeed.Page page(@RequestParam(required = false) UUID cursor,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, Caller caller) {
		return feed.page(caller.subject(), cursor, limit);
	}

	@Operation(summary = "Follow my notifications", description = """
			Server-sent events: first "unread" with the unread count, then a "notification" event for each new \
			entry (id: the entry's id; with Last-Event-ID, the entries after that one come first).""")
	@GetMapping(produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter follow(@RequestHeader(name = "Last-Event-ID", required = false) UUID lastEventId, Caller caller) {
		return feed.follow(caller.subject(), lastEventId);
	}

	@Operation(summary = "Mark a notification read", description = "204; again changes nothing; another's or a missing one answers 404.")
	@ApiResponse(responseCode = "204", description = "Read (again: nothing changes)")
	@PostMapping("/{id}/read")
	ResponseEntity<Void> read(@PathVariable UUID id, Caller caller) {
		if (!feed.markRead(caller.subject(), id)) {
			throw new ProblemException(HttpStatus.NOT_FOUND, "notification-not-found", "Notification not found",
					"There is no notification " + id + " in your feed.");
		}
		return ResponseEntity.noContent().build();
	}
}
