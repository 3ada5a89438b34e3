package io.orderly.notification.internal;

import java.time.Duration;
import java.util.Map;

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
 * @param criticalWorkers     workers of each channel of the critical queue; likewise the others
 * @param marketingYield      the longest a marketing round waits for the API's callers to ease off (see
 *                            {@link io.orderly.platform.Foreground}); then one goes anyway, so a broadcast
 *                            still moves under unending load. Zero: marketing never gives way
 * @param broadcastSlice      a broadcast's recipients queued in one transaction
 * @param demoData            give the demo customers (alice, bob) e-mail addresses on an embedded database
 * @param mail                e-mail: the sender's address, and the embedded mail server
 * @param providers           the SMS and push providers by name ({@code sms-primary}, {@code sms-secondary},
 *                            {@code push-primary}, {@code push-secondary}): where each is and how it is called
 * @param receipts            the providers' signed delivery receipts
 */
@ConfigurationProperties("orderly.notification")
public record NotificationProperties(@DefaultValue("2m") Duration paymentWaitingDelay,
		@DefaultValue("3") int maxAttempts, @DefaultValue("5s") Duration retryAfter, @DefaultValue("1m") Duration lease,
		@DefaultValue("50") int batchSize, @DefaultValue("1s") Duration idleWait,
		@DefaultValue("2") int criticalWorkers, @DefaultValue("2") int transactionalWorkers,
		@DefaultValue("1") int marketingWorkers, @DefaultValue("5s") Duration marketingYield,
		@DefaultValue("1000") int broadcastSlice, @DefaultValue("false") boolean demoData, @DefaultValue Mail mail,
		@DefaultValue Map<String, Provider> providers, @DefaultValue Receipts receipts) {

	public NotificationProperties {
		if (maxAttempts < 1 || batchSize < 1 || broadcastSlice < 1 || criticalWorkers < 1 || transactionalWorkers < 1 || marketingWorkers < 1
				|| !retryAfter.isPositive() || !lease.isPositive() || !idleWait.isPositive()
				|| paymentWaitingDelay.isNegative() || marketingYield.isNegative()) {
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

	/** The provider named {@code name}'s settings; the defaults where none are set (but its url). */
	Provider provider(String name) {
		Provider provider = providers.get(name);
		return provider != null ? provider : new Provider(null, 180, Duration.ofSeconds(2), Duration.ofSeconds(2), 16,
				new Breaker(Duration.ofSeconds(30), 10, 50, Duration.ofSeconds(10), 3));
	}

	/**
	 * @param url            where the provider is (the embedded simulators settle their own)
	 * @param ratePerSecond  the rate calls are kept to: a margin below the provider's limit (the simulators allow
	 *                       200/s), since network jitter can bunch calls that left evenly spaced
	 * @param connectTimeout connecting
	 * @param timeout        the whole call; past it the outcome is unknown and the message is asked again of
	 *                       the same provider only (with its key), never of the other
	 * @param maxConcurrent  calls at once (a bulkhead): a slow provider holds no more workers than this
	 * @param breaker        when the provider is taken for down and sends move to the other one
	 */
	public record Provider(String url, @DefaultValue("180") int ratePerSecond,
			@DefaultValue("2s") Duration connectTimeout, @DefaultValue("2s") Duration timeout,
			@DefaultValue("16") int maxConcurrent, @DefaultValue Breaker breaker) {
	}

	/**
	 * Over a rolling {@code window}, past {@code minimumCalls}, when {@code failureRatePercent} of the
	 * calls failed the breaker opens for {@code openFor}, then lets {@code halfOpenCalls} probe.
	 */
	public record Breaker(@DefaultValue("30s") Duration window, @DefaultValue("10") int minimumCalls,
			@DefaultValue("50") int failureRatePercent, @DefaultValue("10s") Duration openFor,
			@DefaultValue("3") int halfOpenCalls) {
	}

	/**
	 * @param secret    what the providers sign receipts with (the embedded simulators settle one per process)
	 * @param tolerance how old a signed receipt may be
	 */
	public record Receipts(String secret, @DefaultValue("5m") Duration tolerance) {
	}

	/**
	 * @param from           the sender of every e-mail
	 * @param embedded       whether this process runs its own mail server (GreenMail) and sends to it;
	 *                       otherwise {@code spring.mail.*} names the SMTP server
	 * @param smtpPort       the embedded server's SMTP port (0: any free one)
	 * @param imapPort       its IMAP port, where anyone reads any mailbox with any password (0: any free one)
	 * @param bindAddress    where the embedded server listens
	 * @param timeout        connect, read and write timeout of each SMTP call
	 * @param secondary      a second SMTP server e-mail fails over to (none when unset); the first is the
	 *                       embedded one or {@code spring.mail.*}. Each server's breaker, bulkhead and rate
	 *                       limit are {@code orderly.notification.providers.smtp.*} and {@code smtp-secondary.*}
	 */
	public record Mail(@DefaultValue("Orderly <no-reply@orderly.test>") String from,
			@DefaultValue("true") boolean embedded, @DefaultValue("3025") int smtpPort,
			@DefaultValue("3143") int imapPort, @DefaultValue("127.0.0.1") String bindAddress,
			@DefaultValue("5s") Duration timeout, SmtpServer secondary) {
	}

	/**
	 * An SMTP server: where it is, if it asks how to log in, and Jakarta Mail's settings for it
	 * ({@code mail.smtp.starttls.required: true} and the like; the timeouts are {@code timeout}'s).
	 */
	public record SmtpServer(String host, @DefaultValue("25") int port, String username, String password,
			Map<String, String> properties) {
	}
}
