package io.orderly.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.orderly.Http;
import io.orderly.IntegrationTest;
import io.orderly.platform.MutableClock;
import io.orderly.platform.SimulatorPorts;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static io.orderly.notification.EmailNotifications.delivery;
import static io.orderly.notification.EmailNotifications.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * E-mail's two SMTP servers, each behind a breaker of its own: the first refuses every
 * connection, the second is a mail server the test runs (and stops, for an outage of both).
 */
@IntegrationTest
@Import(NotificationTestConfiguration.class)
@TestPropertySource(properties = { "orderly.notification.mail.embedded=false", "spring.mail.host=127.0.0.1",
		"spring.mail.port=9", "orderly.notification.retry-after=10m",
		"orderly.notification.providers.smtp.breaker.minimum-calls=2",
		"orderly.notification.providers.smtp.breaker.open-for=1h",
		"orderly.notification.providers.smtp-secondary.breaker.minimum-calls=2",
		"orderly.notification.providers.smtp-secondary.breaker.open-for=1h",
		"orderly.notification.mail.secondary.properties.[mail.smtp.localhost]=orderly.test" })
class EmailFailoverIntegrationTest {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	private static final int SECONDARY_PORT = SimulatorPorts.freePort("the second SMTP server");

	private static GreenMail secondary = started();

	@Autowired
	MutableClock clock;

	@Autowired
	CircuitBreakerRegistry breakers;

	@LocalServerPort
	int port;

	private final String customer = "c-" + UUID.randomUUID().toString().substring(0, 8);

	@DynamicPropertySource
	static void secondServer(DynamicPropertyRegistry registry) {
		registry.add("orderly.notification.mail.secondary.host", () -> "127.0.0.1");
		registry.add("orderly.notification.mail.secondary.port", () -> SECONDARY_PORT);
	}

	private static GreenMail started() {
		GreenMail server = new GreenMail(new ServerSetup(SECONDARY_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
			.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
		server.start();
		return server;
	}

	@AfterEach
	void serverBackAndBreakersClosed() {
		if (!secondary.isRunning()) {
			secondary = started();
		}
		breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	@AfterAll
	static void stopServer() {
		secondary.stop();
	}

	@Test
	void eMailTheFirstServerCannotTakeGoesByTheSecondOnceAndTheFirstIsNoLongerTriedOnceItsBreakerOpens() throws Exception {
		Http operator = Http.as(port, "operator");
		preferences(operator, customer);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ids.add(send(operator, customer, "security-alert", Map.of("event", "sign-in " + i)));
		}

		for (String id : ids) {
			JsonNode email = await().atMost(DEADLINE).until(() -> delivery(operator, id, "email"),
					d -> d.get("status").asString().equals("SENT"));
			assertThat(email.get("provider").asString()).isEqualTo("smtp-secondary");
			assertThat(email.get("attempts").asInt()).as("the first server surely did not take it").isEqualTo(1);
			String messageId = "<" + email.get("id").asString() + "@orderly>";
			assertThat(Arrays.stream(secondary.getReceivedMessages()).filter(m -> messageId.equals(idOf(m))))
				.as("received once").hasSize(1);
		}
		assertThat(breakers.circuitBreaker("notification-smtp").getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void withBothServersDownACriticalMessageSpendsItsAttemptsAndGoesBySmsWhileOthersWait() {
		Http operator = Http.as(port, "operator");
		preferences(operator, customer);
		secondary.stop();
		String critical = send(operator, customer, "security-alert", Map.of("event", "password changed"));
		String marketing = send(operator, customer, "promotion", Map.of("headline", "Mugs", "text", "Cheap."));

		// The first attempt finds both servers down and opens both breakers; the next ones find them open.
		for (int attempt = 1; attempt <= 2; attempt++) {
			int done = attempt;
			await().atMost(DEADLINE).until(() -> delivery(operator, critical, "email").get("attempts").asInt() == done);
			clock.advance(Duration.ofMinutes(25));
		}
		JsonNode failed = await().atMost(DEADLINE).until(() -> delivery(operator, critical, "email"),
				d -> d.get("status").asString().equals("FAILED"));
		assertThat(failed.get("attempts").asInt()).isEqualTo(3);
		await().atMost(DEADLINE).until(() -> delivery(operator, critical, "sms").get("status").asString(),
				s -> List.of("SENT", "DELIVERED").contains(s));

		JsonNode waiting = delivery(operator, marketing, "email");
		assertThat(waiting.get("status").asString()).as("waits out the outage").isEqualTo("QUEUED");
		assertThat(waiting.get("attempts").asInt()).isEqualTo(1);
	}

	private static void preferences(Http operator, String customer) {
		assertThat(operator.put("/v1/customers/" + customer + "/notification-preferences", Http.toJson(Map.of("contacts",
				Map.of("email", customer + "@example.com", "phone", "+4915112345678"))), Map.of()).status()).isEqualTo(200);
	}

	private static String idOf(MimeMessage message) {
		try {
			return message.getMessageID();
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
