package io.orderly.notification.internal;

import java.util.Map;
import java.util.UUID;

import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.junit.jupiter.api.Test;

import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/** What an SMTP server's refusal of a recipient means: for good (5xx) or for now (4xx). */
class SmtpTransportTest {

	private static final ChannelSender.Outgoing MESSAGE = new ChannelSender.Outgoing(UUID.randomUUID(), "alice",
			"alice@example.com", "Hello", "Hello.", "<p>Hello.</p>", null);

	@Test
	void aRecipientRefusedForGoodIsRefused() throws Exception {
		assertThat(transportRefusing(550).call("key", MESSAGE)).isInstanceOf(ProviderClient.Refused.class);
	}

	@Test
	void aRecipientRefusedForNowIsNotTakenSoAnotherServerOrALaterAttemptMay() throws Exception {
		ProviderClient.Answer answer = transportRefusing(451).call("key", MESSAGE);

		assertThat(answer).isInstanceOf(ProviderClient.NotTaken.class);
		assertThat(((ProviderClient.NotTaken) answer).attempted()).isTrue();
	}

	/** A server that answers RCPT TO with {@code code}, as Jakarta Mail reports it through Spring. */
	private static SmtpTransport transportRefusing(int code) {
		return new SmtpTransport(new JavaMailSenderImpl() {
			@Override
			protected void doSend(MimeMessage[] messages, Object[] originals) {
				try {
					InternetAddress to = new InternetAddress("alice@example.com");
					SendFailedException refused = new SendFailedException("Invalid Addresses",
							new SMTPAddressFailedException(to, "RCPT TO:<alice@example.com>", code, code + " no"), null,
							null, new jakarta.mail.Address[] { to });
					throw new MailSendException(Map.<Object, Exception>of(messages[0], refused));
				}
				catch (jakarta.mail.internet.AddressException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}, "Orderly <no-reply@orderly.test>");
	}
}
