package io.orderly.notification.web;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.orderly.edge.Caller;
import io.orderly.notification.internal.Broadcasts;
import io.orderly.notification.internal.Channel;
import io.orderly.notification.internal.NotificationManagement;
import io.orderly.notification.internal.NotificationView;
import io.orderly.notification.internal.Priority;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Notifications for other systems to send, and their deliveries for operators (and the recipient) to trace. */
@RestController
@RequestMapping("/v1/notifications")
@ConditionalOnModule("notification")
class NotificationController {

	private static final String ID = "[A-Za-z0-9._:@-]{1,100}";

	private final NotificationManagement notifications;

	private final Broadcasts broadcasts;

	NotificationController(NotificationManagement notifications, Broadcasts broadcasts) {
		this.notifications = notifications;
		this.broadcasts = broadcasts;
	}

	record BroadcastRequest(@NotNull @Valid Segment segment, @NotBlank @Pattern(regexp = "[a-z0-9-]{1,60}") String template,
			@NotNull @Size(max = 50) Map<String, Object> data,
			@Pattern(regexp = "critical|transactional|marketing") String priority,
			@Size(min = 1, max = 4) List<@NotNull @Pattern(regexp = "email|sms|push|in_app") String> channels) {
	}

	/** {@code customers}: these (at most 10,000); without it every customer with preferences. */
	record Segment(@Size(min = 1, max = 10_000) List<@NotNull @Pattern(regexp = ID) String> customers,
			@Pattern(regexp = "[a-z]{2}") String locale) {
	}

	@Operation(summary = "Broadcast to a segment", description = """
			Sends the template with the same data to every recipient of the segment (operator, admin): each gets 			a notification of their own in their locale, with a delivery per channel they can be reached on; 			preferences, quiet hours and the providers' limits apply per delivery. Requires an Idempotency-Key: 			the same key broadcasts once. 202 with the broadcast and its recipients counted; their notifications 			are queued in the background, in slices (queuedAt says when the last was); 422 for an unknown 			template or data it lacks.""")
	@ApiResponse(responseCode = "422", description = "Unknown template, or data the template needs and lacks (nothing is queued)")
	@PostMapping("/broadcasts")
	ResponseEntity<Broadcasts.View> broadcast(@RequestHeader("Idempotency-Key") String idempotencyKey,
			@Valid @RequestBody BroadcastRequest request, Caller caller) {
		Broadcasts.View view = broadcasts.start(new Broadcasts.Request("api:" + caller.subject() + ":" + idempotencyKey,
				new Broadcasts.Segment(request.segment().customers(), request.segment().locale()), request.template(),
				request.data(),
				request.priority() == null ? null : Priority.valueOf(request.priority().toUpperCase(java.util.Locale.ROOT)),
				channels(request.channels())));
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(view);
	}

	@Operation(summary = "Read a broadcast", description = "The broadcast with its deliveries counted per channel and status.")
	@GetMapping("/broadcasts/{id}")
	Broadcasts.View broadcast(@PathVariable UUID id) {
		return broadcasts.view(id)
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "broadcast-not-found", "Broadcast not found",
					"There is no broadcast " + id + "."));
	}

	private static Set<Channel> channels(List<String> names) {
		if (names == null) {
			return null;
		}
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		names.forEach(name -> channels.add(Channel.valueOf(name.toUpperCase(java.util.Locale.ROOT))));
		return channels;
	}

	record SendRequest(@NotBlank @Pattern(regexp = ID) String recipient,
			@NotBlank @Pattern(regexp = "[a-z0-9-]{1,60}") String template,
			@Pattern(regexp = "[a-z]{2}(-[A-Z]{2})?") String locale, @NotNull @Size(max = 50) Map<String, Object> data,
			@Pattern(regexp = "critical|transactional|marketing") String priority,
			@Size(min = 1, max = 4) List<@NotNull @Pattern(regexp = "email|sms|push|in_app") String> channels,
			@Pattern(regexp = ID) String orderId) {
	}

	record Accepted(String id, List<DeliveryStatus> deliveries) {
	}

	record DeliveryStatus(String channel, String status) {
	}

	record Page(List<NotificationView> items, String nextCursor) {
	}

	@Operation(summary = "Send a notification", description = """
			Queues a notification to a customer from a template with the given data (service, operator, admin). \
			Requires an Idempotency-Key: the same key sends once. 202 with the notification and a delivery per \
			channel; 422 for an unknown template or data the template needs and lacks (nothing is queued). Without \
			channels, the template's, on those the recipient can be reached.""")
	@ApiResponse(responseCode = "422", description = "Unknown template, data the template needs and lacks, or no recipient (nothing is queued)")
	@PostMapping
	ResponseEntity<Accepted> send(@RequestHeader("Idempotency-Key") String idempotencyKey,
			@Valid @RequestBody SendRequest request, Caller caller) {
		Set<Channel> channels = channels(request.channels());
		NotificationManagement.Queued queued = notifications.queue(new NotificationManagement.Request(
				"api:" + caller.subject() + ":" + idempotencyKey, request.recipient(), request.template(),
				request.locale(), request.data(),
				request.priority() == null ? null : Priority.valueOf(request.priority().toUpperCase(java.util.Locale.ROOT)),
				channels, request.orderId(), null));
		NotificationView view = notifications.find(queued.id()).orElseThrow();
		return ResponseEntity.status(HttpStatus.ACCEPTED)
			.body(new Accepted(view.id(), view.deliveries()
				.stream()
				.map(d -> new DeliveryStatus(d.channel(), d.status()))
				.toList()));
	}

	@Operation(summary = "Read a notification", description = """
			The notification with each channel's delivery and its status history. A customer reads their own \
			only (another's answers 404 like a missing one).""")
	@GetMapping("/{id}")
	NotificationView get(@PathVariable UUID id, Caller caller) {
		return notifications.find(id)
			.filter(view -> caller.mayAccess(view.recipient()))
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "notification-not-found",
					"Notification not found", "There is no notification " + id + "."));
	}

	@Operation(summary = "Retry what failed", description = """
			Queues the notification's FAILED deliveries again (operator, admin), due now, each with its attempts \
			starting over; the history keeps the earlier ones, and a delivery pinned to a provider that may have \
			taken it is asked of that provider only. For a failure an operator has dealt with: a provider's long \
			outage, a contact point corrected. 202 with the notification; 409 when none of its deliveries failed.""")
	@ApiResponse(responseCode = "202", description = "Its failed deliveries are queued again: the notification", useReturnTypeSchema = true)
	@ApiResponse(responseCode = "404", description = "No such notification")
	@ApiResponse(responseCode = "409", description = "None of its deliveries failed: nothing to retry")
	@PostMapping("/{id}/retry")
	ResponseEntity<NotificationView> retry(@PathVariable UUID id, Caller caller) {
		int queued = notifications.retryFailed(id, caller.subject())
			.orElseThrow(() -> new ProblemException(HttpStatus.NOT_FOUND, "notification-not-found",
					"Notification not found", "There is no notification " + id + "."));
		if (queued == 0) {
			throw new ProblemException(HttpStatus.CONFLICT, "nothing-to-retry", "Nothing to retry",
					"No delivery of notification " + id + " failed.");
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(notifications.find(id).orElseThrow());
	}

	@Operation(summary = "List notifications", description = """
			Newest first, a page at a time (cursor: the last item's id), of a recipient or of an order. A customer \
			sees their own only: without recipient, or with their own.""")
	@GetMapping
	Page list(@RequestParam(required = false) @Pattern(regexp = ID) String recipient,
			@RequestParam(required = false) @Pattern(regexp = ID) String orderId,
			@RequestParam(required = false) UUID cursor,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit, Caller caller) {
		if (caller.isCustomer()) {
			if (recipient != null && !recipient.equals(caller.customerId())) {
				return new Page(List.of(), null);
			}
			recipient = orderId == null ? caller.customerId() : null;
		}
		else if ((recipient == null) == (orderId == null)) {
			throw new ProblemException(HttpStatus.BAD_REQUEST, "recipient-or-order", "Recipient or order",
					"Name either recipient or orderId.");
		}
		NotificationView before = cursor == null ? null : notifications.find(cursor).orElseThrow(
				() -> new ProblemException(HttpStatus.BAD_REQUEST, "invalid-cursor", "Invalid cursor",
						"The cursor names no notification."));
		List<NotificationView> page = recipient != null ? notifications.ofRecipient(recipient, before, limit)
				: notifications.ofOrder(orderId, before, limit);
		// A customer's order holds only their notifications; the filter keeps it so for any order id.
		List<NotificationView> items = page.stream().filter(view -> caller.mayAccess(view.recipient())).toList();
		return new Page(items, page.size() == limit ? page.getLast().id() : null);
	}
}
