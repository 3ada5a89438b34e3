package io.orderly.notification.internal;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customers' notification preferences as the API reads and writes them. A change applies to
 * what is already queued: a delivery is decided against the preferences when it is sent.
 */
@Component
@ConditionalOnModule("notification")
public class NotificationPreferences {

	private final Recipients recipients;

	private final Clock clock;

	NotificationPreferences(Recipients recipients, Clock clock) {
		this.recipients = recipients;
		this.clock = clock;
	}

	/** Preferences on the wire: channel and category names in lower case, times as HH:mm. */
	public record View(String timeZone, String locale, QuietHoursView quietHours, Contacts contacts,
			List<OptOutView> optOut) {
	}

	public record QuietHoursView(String start, String end) {
	}

	public record Contacts(String email, String phone, List<String> pushTokens) {
	}

	public record OptOutView(String channel, String category) {
	}

	@Transactional(readOnly = true)
	public View of(String customerId) {
		Recipients.Preferences p = recipients.of(customerId);
		return new View(p.timeZone().getId(), p.locale(),
				p.quietHours() == null ? null : new QuietHoursView(p.quietHours().start().toString(),
						p.quietHours().end().toString()),
				new Contacts(p.email(), p.phone(), p.pushTokens()),
				p.optOuts().stream()
					.map(o -> new OptOutView(o.channel().wire(), o.category().name().toLowerCase(Locale.ROOT)))
					.sorted(java.util.Comparator.comparing(OptOutView::channel).thenComparing(OptOutView::category))
					.toList());
	}

	/**
	 * Replaces the customer's preferences.
	 *
	 * @throws NotificationRefused for an unknown zone, channel or category, a malformed time, or an
	 *                             opt-out of transactional e-mail
	 */
	@Transactional
	public View put(String customerId, View view) {
		ZoneId zone;
		try {
			zone = ZoneId.of(view.timeZone() == null ? "UTC" : view.timeZone());
		}
		catch (DateTimeException ex) {
			throw NotificationRefused.invalid("timeZone must be an IANA zone such as Europe/Berlin.");
		}
		QuietHours quiet = null;
		if (view.quietHours() != null) {
			try {
				quiet = new QuietHours(LocalTime.parse(view.quietHours().start()), LocalTime.parse(view.quietHours().end()));
			}
			catch (DateTimeException | IllegalArgumentException | NullPointerException ex) {
				throw NotificationRefused.invalid("quietHours needs start and end as HH:mm.");
			}
		}
		Set<Recipients.OptOut> optOuts = new LinkedHashSet<>();
		for (OptOutView o : view.optOut() == null ? List.<OptOutView>of() : view.optOut()) {
			Recipients.OptOut optOut;
			try {
				optOut = new Recipients.OptOut(Channel.parse(o.channel()), Priority.Category.parse(o.category()));
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				throw NotificationRefused.invalid(
						"optOut entries need a channel (email, sms, push, in_app) and a category (transactional, marketing).");
			}
			if (optOut.channel() == Channel.EMAIL && optOut.category() == Priority.Category.TRANSACTIONAL) {
				throw NotificationRefused.invalid("Transactional e-mail cannot be opted out of: it is how an order reaches you.");
			}
			optOuts.add(optOut);
		}
		Contacts contacts = view.contacts() == null ? new Contacts(null, null, List.of()) : view.contacts();
		String locale = view.locale() == null ? NotificationTemplates.DEFAULT_LOCALE : view.locale();
		recipients.put(new Recipients.Preferences(customerId, contacts.email(), contacts.phone(),
				contacts.pushTokens() == null ? List.of() : List.copyOf(contacts.pushTokens()), locale, zone, quiet,
				Set.copyOf(optOuts)), clock.instant());
		return of(customerId);
	}
}
