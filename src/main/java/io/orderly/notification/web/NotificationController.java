package io.orderly.notification.web;

import java.util.List;

import io.orderly.notification.internal.Delivery;
import io.orderly.notification.internal.NotificationManagement;
import io.orderly.platform.ConditionalOnModule;
import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operator's view of what customers were told. */
@RestController
@RequestMapping("/v1/admin/notifications")
@ConditionalOnModule("notification")
class NotificationController {

	private final NotificationManagement notifications;

	NotificationController(NotificationManagement notifications) {
		this.notifications = notifications;
	}

	record Deliveries(List<Delivery> items) {
	}

	/** 200 with the order's deliveries, oldest first; an empty list for an order without any. */
	@GetMapping
	Deliveries list(@RequestParam @Pattern(regexp = "[A-Za-z0-9._:-]{1,100}") String orderId) {
		return new Deliveries(notifications.deliveriesOf(orderId));
	}
}
