package io.orderly.notification.web;

import java.util.List;

import io.orderly.edge.Caller;
import io.orderly.notification.internal.NotificationPreferences;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A customer's notification preferences: the customer themself, or an operator. */
@RestController
@RequestMapping("/v1/customers/{id}/notification-preferences")
@ConditionalOnModule("notification")
class PreferencesController {

	private final NotificationPreferences preferences;

	PreferencesController(NotificationPreferences preferences) {
		this.preferences = preferences;
	}

	record PreferencesRequest(@Size(max = 64) String timeZone, @Pattern(regexp = "[a-z]{2}") String locale,
			@Valid QuietHours quietHours, @Valid Contacts contacts, @Size(max = 8) List<@Valid @NotNull OptOut> optOut) {
	}

	record QuietHours(@NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]") String start,
			@NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]") String end) {
	}

	record Contacts(@Email @Size(max = 254) String email, @Pattern(regexp = "\\+[1-9][0-9]{6,14}") String phone,
			@Size(max = 10) List<@NotNull @Pattern(regexp = "[A-Za-z0-9:_.-]{8,200}") String> pushTokens) {
	}

	record OptOut(@NotNull @Pattern(regexp = "email|sms|push|in_app") String channel,
			@NotNull @Pattern(regexp = "transactional|marketing") String category) {
	}

	@Operation(summary = "Read notification preferences", description = """
			Contact points, time zone, quiet hours and opt-outs of a customer: the customer themself (another's \
			answers 404), or support, operator and admin.""")
	@GetMapping
	NotificationPreferences.View get(@PathVariable @Pattern(regexp = "[A-Za-z0-9._:@-]{1,100}") String id,
			Caller caller) {
		return preferences.of(own(id, caller));
	}

	@Operation(summary = "Set notification preferences", description = """
			Replaces the customer's preferences (the customer themself, or operator and admin). They apply to what \
			is already queued: a message opted out of before it is sent is SUPPRESSED, one that falls in quiet \
			hours is HELD until they end. Transactional e-mail cannot be opted out of (422), nor can an unknown \
			zone be set (422).""")
	@ApiResponse(responseCode = "422", description = "An opt-out of transactional e-mail, an unknown zone, channel or category, or a malformed time")
	@PutMapping
	NotificationPreferences.View put(@PathVariable @Pattern(regexp = "[A-Za-z0-9._:@-]{1,100}") String id,
			@Valid @RequestBody PreferencesRequest request, Caller caller) {
		return preferences.put(own(id, caller), new NotificationPreferences.View(request.timeZone(), request.locale(),
				request.quietHours() == null ? null
						: new NotificationPreferences.QuietHoursView(request.quietHours().start(), request.quietHours().end()),
				request.contacts() == null ? null
						: new NotificationPreferences.Contacts(request.contacts().email(), request.contacts().phone(),
								request.contacts().pushTokens()),
				request.optOut() == null ? null
						: request.optOut().stream()
							.map(o -> new NotificationPreferences.OptOutView(o.channel(), o.category()))
							.toList()));
	}

	private static String own(String id, Caller caller) {
		if (!caller.mayAccess(id)) {
			throw new ProblemException(HttpStatus.NOT_FOUND, "customer-not-found", "Customer not found",
					"There is no customer " + id + ".");
		}
		return id;
	}
}
