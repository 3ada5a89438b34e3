package io.orderly.notification.internal;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded deployment's own mail server (GreenMail, in this process): SMTP for the platform
 * to send to, IMAP for a person to read what was sent, any mailbox with any password.
 */
public final class MailServer {

	private static final Logger log = LoggerFactory.getLogger(MailServer.class);

	private final GreenMail server;

	MailServer(NotificationProperties.Mail settings) {
		ServerSetup smtp = new ServerSetup(settings.smtpPort(), settings.bindAddress(), ServerSetup.PROTOCOL_SMTP);
		ServerSetup imap = new ServerSetup(settings.imapPort(), settings.bindAddress(), ServerSetup.PROTOCOL_IMAP);
		this.server = new GreenMail(new ServerSetup[] { settings.smtpPort() == 0 ? smtp.dynamicPort() : smtp,
				settings.imapPort() == 0 ? imap.dynamicPort() : imap })
			.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
		server.start();
		log.info("Mail server: SMTP on {}:{}, read the mail over IMAP on {}:{} (any user name and password)",
				settings.bindAddress(), smtpPort(), settings.bindAddress(), imapPort());
	}

	public int smtpPort() {
		return server.getSmtp().getPort();
	}

	public int imapPort() {
		return server.getImap().getPort();
	}

	/** Every message received, oldest first. */
	public MimeMessage[] received() {
		return server.getReceivedMessages();
	}

	void stop() {
		server.stop();
	}
}
