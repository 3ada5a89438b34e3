package io.orderly.notification.internal;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Properties;

import io.orderly.platform.ConditionalOnModule;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * E-mail over SMTP: a multipart message with a plain-text and an HTML part. SMTP has no
 * idempotency key; each message's {@code Message-ID} is derived from its delivery, so a message
 * sent again after a lost answer is the same message to any client that deduplicates by it.
 */
@Component
@ConditionalOnModule("notification")
class EmailSender implements ChannelSender {

	static final String PROVIDER = "smtp";

	private final JavaMailSender mail;

	private final InternetAddress from;

	EmailSender(JavaMailSender mail, NotificationProperties properties) {
		this.mail = mail;
		try {
			this.from = new InternetAddress(properties.mail().from(), true);
		}
		catch (AddressException ex) {
			throw new IllegalArgumentException("orderly.notification.mail.from is not an address", ex);
		}
	}

	@Override
	public Channel channel() {
		return Channel.EMAIL;
	}

	@Override
	public Outcome send(Outgoing message) {
		InternetAddress to;
		try {
			to = new InternetAddress(message.address(), true);
		}
		catch (AddressException ex) {
			return new Rejected(PROVIDER, "invalid_address");
		}
		String messageId = "<" + message.deliveryId() + "@orderly>";
		try {
			MimeMessage mime = new FixedIdMessage(messageId);
			MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
			helper.setFrom(from);
			helper.setTo(to);
			helper.setSubject(message.subject());
			helper.setText(message.body(), message.html());
			mail.send(mime);
			return new Sent(PROVIDER, messageId);
		}
		catch (MailSendException ex) {
			return ex.getFailedMessages().values().stream().anyMatch(SendFailedException.class::isInstance)
					? new Rejected(PROVIDER, "recipient_refused: " + ex.getMessage())
					: new Failed(PROVIDER, describe(ex));
		}
		catch (MailAuthenticationException ex) {
			return new Failed(PROVIDER, "authentication: " + ex.getMessage());
		}
		catch (MailException | MessagingException ex) {
			return new Failed(PROVIDER, describe(ex));
		}
	}

	private static String describe(Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return "unreachable: " + cause.getMessage();
			}
			if (cause instanceof SocketTimeoutException) {
				return "timeout: " + cause.getMessage();
			}
		}
		return ex.getClass().getSimpleName() + ": " + ex.getMessage();
	}

	/** A message that keeps the Message-ID it was given when it is saved for sending. */
	private static final class FixedIdMessage extends MimeMessage {

		private final String messageId;

		/** Holds only MIME settings (none): the sender's own session carries the SMTP ones. */
		private static final Session MIME = Session.getInstance(new Properties());

		FixedIdMessage(String messageId) {
			super(MIME);
			this.messageId = messageId;
		}

		@Override
		protected void updateMessageID() throws MessagingException {
			setHeader("Message-ID", messageId);
		}
	}
}
