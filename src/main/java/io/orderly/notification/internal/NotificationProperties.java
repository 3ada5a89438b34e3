package io.orderly.notification.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The notification service's settings ({@code orderly.notification.*}).
 *
 * @param paymentWaitingDelay how long a payment may wait on the provider before the customer is told
 *                            "we are processing your payment" (not at all if it settles before)
 * @param maxAttempts         provider calls per delivery before it is dead-lettered as FAILED
 * @param retryAfter          the wait after a first failed attempt; doubled after each further one
 * @param lease               how long a worker holds a delivery it is sending before another may take it
 * @param batchSize           deliveries a worker takes at once
 * @param idleWait            how often an idle worker looks for due deliveries (it is woken sooner for new ones)
 * @param criticalWorkers     workers of the critical queue; likewise the others
 * @param demoData            give the demo customers (alice, bob) e-mail addresses on an embedded database
 * @param mail                e-mail: the sender's address, and the embedded mail server
 */
@ConfigurationProperties("orderly.notification")
public record NotificationProperties(@DefaultValue("2m") Duration paymentWaitingDelay,
		@DefaultValue("3") int maxAttempts, @DefaultValue("5s") Duration retryAfter, @DefaultValue("1m") Duration lease,
		@DefaultValue("50") int batchSize, @DefaultValue("1s") Duration idleWait,
		@DefaultValue("2") int criticalWorkers, @DefaultValue("2") int transactionalWorkers,
		@DefaultValue("1") int marketingWorkers, @DefaultValue("false") boolean demoData, @DefaultValue Mail mail) {

	public NotificationProperties {
		if (maxAttempts < 1 || batchSize < 1 || criticalWorkers < 1 || transactionalWorkers < 1 || marketingWorkers < 1
				|| !retryAfter.isPositive() || !lease.isPositive() || !idleWait.isPositive()
				|| paymentWaitingDelay.isNegative()) {
			throw new IllegalArgumentException("orderly.notification settings out of range");
		}
	}

	int workers(Priority priority) {
		return switch (priority) {
			case CRITICAL -> criticalWorkers;
			case TRANSACTIONAL -> transactionalWorkers;
			case MARKETING -> marketingWorkers;
		};
	}

	/**
	 * @param from           the sender of every e-mail
	 * @param embedded       whether this process runs its own mail server (GreenMail) and sends to it;
	 *                       otherwise {@code spring.mail.*} names the SMTP server
	 * @param smtpPort       the embedded server's SMTP port (0: any free one)
	 * @param imapPort       its IMAP port, where anyone reads any mailbox with any password (0: any free one)
	 * @param bindAddress    where the embedded server listens
	 * @param timeout        connect, read and write timeout of each SMTP call
	 */
	public record Mail(@DefaultValue("Orderly <no-reply@orderly.test>") String from,
			@DefaultValue("true") boolean embedded, @DefaultValue("3025") int smtpPort,
			@DefaultValue("3143") int imapPort, @DefaultValue("127.0.0.1") String bindAddress,
			@DefaultValue("5s") Duration timeout) {
	}
}
