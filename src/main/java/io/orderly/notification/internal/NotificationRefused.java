package io.orderly.notification.internal;

import java.util.Map;

import io.orderly.platform.messaging.Unprocessable;
import io.orderly.platform.web.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * A notification that can never be sent as asked: an unknown template, data the template needs
 * and was not given, a recipient who is no one. Over HTTP a 422; for an event, the kernel
 * dead-letters it at once instead of retrying what cannot change.
 */
public class NotificationRefused extends ProblemException implements Unprocessable {

	NotificationRefused(String type, String title, String detail, Map<String, Object> properties) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, type, title, detail, properties);
	}

	static NotificationRefused unknownTemplate(String name) {
		return new NotificationRefused("unknown-template", "Unknown template", "There is no template named '" + name + "'.",
				Map.of("template", name));
	}

	static NotificationRefused missingData(String template, String field) {
		return new NotificationRefused("template-data-missing", "Template data missing",
				"Template '" + template + "' needs '" + field + "', which the data does not have.",
				Map.of("template", template, "missing", field));
	}

	static NotificationRefused invalid(String detail) {
		return new NotificationRefused("notification-invalid", "Notification refused", detail, Map.of());
	}
}
