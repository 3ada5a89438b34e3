package io.orderly.notification.internal;

import io.orderly.notification.EmailSender;
import io.orderly.platform.ConditionalOnModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The default {@link EmailSender}: accepts every email and logs it at debug level (it runs for
 * every order; the deliveries are in the database and at {@code /v1/admin/notifications}).
 */
@Component
@ConditionalOnModule("notification")
class LoggingEmailSender implements EmailSender {

	private static final Logger log = LoggerFactory.getLogger(LoggingEmailSender.class);

	@Override
	public Result send(Email email) {
		log.debug("Email to customer {}: {} ({})", email.customerId(), email.subject(), email.idempotencyKey());
		return new Accepted();
	}
}
