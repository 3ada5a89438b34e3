package io.orderly.notification.internal;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Properties;

import io.orderly.notification.internal.ProviderClient.Answer;
import io.orderly.notification.internal.ProviderClient.NotTaken;
import io.orderly.notification.internal.ProviderClient.Refused;
import io.orderly.notification.internal.ProviderClient.Taken;
import io.orderly.notification.internal.ProviderClient.Unknown;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * An SMTP server: a multipart message with a plain-text and an HTML part. SMTP has no
 * idempotency key; each message's {@code Message-ID} is derived from its delivery, so a message
 * sent again after a lost answer is the same message to any client that deduplicates by it.
 * A server that could not be reached, or would not let us log in, surely did not take the
 * message (another server may); one that refused the recipient refused it for good (5xx), or for
 * now (4xx: not taken, another server or a later attempt may); any other
 * failure came after the message may have left, so whether it was taken is unknown.
 */
final class SmtpTransport implements ProviderClient.Transport {

	private final JavaMailSender mail;

	private final InternetAddress from;

	SmtpTransport(JavaMailSender mail, String from) {
		this.mail = mail;
		try {
			this.from = new InternetAddress(from, true);
		}
		catch (AddressException ex) {
			throw new IllegalArgumentException("orderly.notification.mail.from is not an address", ex);
		}
	}

	@Override
	public Answer call(String key, ChannelSender.Outgoing message) {
		InternetAddress to;
		try {
			to = new InternetAddress(message.address(), true);
		}
		catch (AddressException ex) {
			return new Refused("invalid_address");
		}
		String messageId = "<" + key + "@orderly>";
		try {
			MimeMessage mime = new FixedIdMessage(messageId);
			MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
			helper.setFrom(from);
			helper.setTo(to);
			helper.setSubject(message.subject());
			helper.setText(message.body(), message.html());
			mail.send(mime);
			return new Taken(messageId);
		}
		catch (MailAuthenticationException ex) {
			return new NotTaken("authentication: " + ex.getMessage(), true);
		}
		catch (MailSendException ex) {
			for (Exception failed : ex.getFailedMessages().values()) {
				if (failed instanceof SendFailedException refused) {
					// 4xx: not now (a full mailbox, the server busy): not taken, so another server or a
					// later attempt may; 5xx or no code: refused for good.
					int code = replyCode(refused);
					return code >= 400 && code < 500 ? new NotTaken("deferred by the server: " + code + " " + ex.getMessage(), true)
							: new Refused("recipient_refused: " + ex.getMessage());
				}
			}
			return notConnected(ex) ? new NotTaken(describe(ex), true) : new Unknown(describe(ex));
		}
		catch (MailException | MessagingException ex) {
			return notConnected(ex) ? new NotTaken(describe(ex), true) : new Unknown(describe(ex));
		}
	}

	/** The SMTP reply code of a refusal (its own, or of the first refused address it carries); 0 when none. */
	private static int replyCode(SendFailedException refused) {
		for (Exception cause = refused; cause != null;
				cause = cause instanceof MessagingException next ? next.getNextException() : null) {
			if (cause instanceof SMTPSendFailedException send) {
				return send.getReturnCode();
			}
			if (cause instanceof SMTPAddressFailedException address) {
				return address.getReturnCode();
			}
		}
		return 0;
	}

	/** Whether the failure was in reaching the server, before any message left. */
	private static boolean notConnected(Exception ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof MailConnectException || cause instanceof ConnectException) {
				return true;
			}
		}
		return false;
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
