package io.orderly.notification.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderly.order.OrderCancellationRejected;
import io.orderly.order.OrderCancelled;
import io.orderly.order.OrderConfirmed;
import io.orderly.order.OrderPlaced;
import io.orderly.order.OrderRefunded;
import io.orderly.payment.PaymentPending;
import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.db.DatabaseProperties;
import io.orderly.platform.messaging.Subscription;
import io.orderly.shipping.ShipmentDispatched;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

@Configuration(proxyBeanMethods = false)
@ConditionalOnModule("notification")
@EnableConfigurationProperties(NotificationProperties.class)
class NotificationConfiguration {

	private static final Logger log = LoggerFactory.getLogger(NotificationConfiguration.class);

	/** The name e-mail's first SMTP server goes by in deliveries, metrics and settings; the second is {@code smtp-secondary}. */
	static final String SMTP = "smtp";

	/** The events customers hear about: queueing is a few statements each, so one worker keeps up. */
	@Bean
	Subscription notificationOnOrders(NotificationManagement notifications) {
		return Subscription.named("notification")
			.on(OrderPlaced.class, (event, message) -> notifications.on(event))
			.on(OrderConfirmed.class, (event, message) -> notifications.on(event))
			.on(OrderCancelled.class, (event, message) -> notifications.on(event))
			.on(OrderCancellationRejected.class, (event, message) -> notifications.on(event))
			.on(OrderRefunded.class, (event, message) -> notifications.on(event))
			.on(PaymentPending.class, (event, message) -> notifications.on(event))
			.on(ShipmentDispatched.class, (event, message) -> notifications.on(event))
			.build();
	}

	/** The demo customers get an address at the embedded mail server, unless they have preferences already. */
	@Bean
	ApplicationRunner notificationDemoData(NotificationProperties properties, DatabaseProperties database,
			JdbcClient jdbc, Clock clock) {
		return args -> {
			if (!properties.demoData() || !database.embedded()) {
				return;
			}
			for (String customer : List.of("alice", "bob")) {
				jdbc.sql("""
						insert into notification.recipients (customer_id, email, locale, time_zone, updated_at)
						values (:id, :email, 'en', 'Europe/Berlin', :now) on conflict (customer_id) do nothing""")
					.param("id", customer)
					.param("email", customer + "@orderly.test")
					.param("now", Timestamp.from(clock.instant()))
					.update();
			}
		};
	}

	/**
	 * SMS and push: each a primary and a secondary provider over HTTP; e-mail: the SMTP server (the
	 * embedded one or {@code spring.mail.*}) and a second one if {@code orderly.notification.mail.secondary}
	 * names it. Each provider behind a breaker, bulkhead and rate limit of its own. Without the providers'
	 * urls (a process with neither the simulators nor real providers configured) SMS and push have no
	 * sender, and their deliveries fail visibly.
	 */
	@Bean
	ProviderSenders providerSenders(NotificationProperties properties, ObjectProvider<JavaMailSender> mail,
			CircuitBreakerRegistry breakers, MeterRegistry meters) {
		BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
		List<ChannelSender> senders = new ArrayList<>();
		for (Channel channel : List.of(Channel.SMS, Channel.PUSH)) {
			String prefix = channel.wire();
			NotificationProperties.Provider primary = properties.provider(prefix + "-primary");
			NotificationProperties.Provider secondary = properties.provider(prefix + "-secondary");
			if (primary.url() == null || secondary.url() == null) {
				log.warn("No {} providers configured (orderly.notification.providers.{}-primary/-secondary.url): "
						+ "{} deliveries will fail", prefix, prefix, prefix);
				continue;
			}
			senders.add(new FailoverSender(channel, List.of(
					new ProviderClient(prefix + "-primary", primary, new HttpTransport(prefix + "-primary", channel, primary),
							breakers, bulkheads),
					new ProviderClient(prefix + "-secondary", secondary,
							new HttpTransport(prefix + "-secondary", channel, secondary), breakers, bulkheads))));
		}
		JavaMailSender server = mail.getIfAvailable();
		if (server == null) {
			log.warn("No SMTP server configured (spring.mail.host, or orderly.notification.mail.embedded=true): "
					+ "e-mail deliveries will fail");
		}
		else {
			NotificationProperties.Mail settings = properties.mail();
			List<ProviderClient> servers = new ArrayList<>(List.of(new ProviderClient(SMTP, properties.provider(SMTP),
					new SmtpTransport(server, settings.from()), breakers, bulkheads)));
			if (settings.secondary() != null && settings.secondary().host() != null) {
				servers.add(new ProviderClient(SMTP + "-secondary", properties.provider(SMTP + "-secondary"),
						new SmtpTransport(mailSender(settings.secondary(), settings.timeout()), settings.from()), breakers,
						bulkheads));
			}
			senders.add(new FailoverSender(Channel.EMAIL, servers));
		}
		TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
		return new ProviderSenders(List.copyOf(senders));
	}

	/** A sender to {@code server}, each call bounded by {@code timeout}; not a bean, so Boot's own stays the first. */
	private static JavaMailSender mailSender(NotificationProperties.SmtpServer server, Duration timeout) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost(server.host());
		sender.setPort(server.port());
		sender.setUsername(server.username());
		sender.setPassword(server.password());
		Properties smtp = new Properties();
		if (server.properties() != null) {
			smtp.putAll(server.properties());
		}
		smtp.putAll(timeouts(timeout));
		sender.setJavaMailProperties(smtp);
		return sender;
	}

	private static Properties timeouts(Duration timeout) {
		Properties smtp = new Properties();
		String millis = Long.toString(timeout.toMillis());
		smtp.setProperty("mail.smtp.connectiontimeout", millis);
		smtp.setProperty("mail.smtp.timeout", millis);
		smtp.setProperty("mail.smtp.writetimeout", millis);
		return smtp;
	}

	/** The providers' breakers (states on the metrics, as resilience4j_circuitbreaker_state). */
	@Bean
	CircuitBreakerRegistry notificationProviderBreakers(MeterRegistry meters) {
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
		return breakers;
	}

	/** The embedded deployment's mail server; off ({@code orderly.notification.mail.embedded=false}) where spring.mail.* names one. */
	@Bean(destroyMethod = "stop")
	@ConditionalOnProperty(name = "orderly.notification.mail.embedded", havingValue = "true", matchIfMissing = true)
	MailServer mailServer(NotificationProperties properties) {
		return new MailServer(properties.mail());
	}

	@Bean
	@ConditionalOnProperty(name = "orderly.notification.mail.embedded", havingValue = "true", matchIfMissing = true)
	JavaMailSender embeddedMailSender(MailServer server, NotificationProperties properties) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost(properties.mail().bindAddress());
		sender.setPort(server.smtpPort());
		sender.setJavaMailProperties(timeouts(properties.mail().timeout()));
		return sender;
	}
}
