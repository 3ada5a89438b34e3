package io.orderly.notification.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orderly.platform.ConditionalOnModule;
import io.orderly.platform.Ids;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Digests: a template marked {@code digest=<window>} reaches a recipient on a channel (in-app
 * aside) at most once per window. The first message of a window goes at once; what arrives
 * until the window ends is held in an open digest (in the database, so a restart loses
 * nothing) and then goes as one message listing them all, whose own delivery starts the next
 * window. Critical messages never wait for a digest.
 */
@Component
@ConditionalOnModule("notification")
class Digests {

	static final String TEMPLATE = "digest";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final DigestStore digests;

	private final NotificationStore store;

	private final NotificationTemplates templates;

	private final Recipients recipients;

	Digests(DigestStore digests, NotificationStore store, NotificationTemplates templates, Recipients recipients) {
		this.digests = digests;
		this.store = store;
		this.templates = templates;
		this.recipients = recipients;
	}

	/**
	 * In the claiming transaction: whether the delivery joins a digest instead of going now (it is
	 * then HELD in the digest).
	 */
	boolean collected(NotificationStore.Claimed delivery, Instant now) {
		// A delivery tried before (by a provider: retried, or an operator's retry of one that failed)
		// started or joined its window then: it goes as it is.
		if (delivery.priority() == Priority.CRITICAL || delivery.channel() == Channel.IN_APP
				|| TEMPLATE.equals(delivery.template()) || delivery.attempts() > 0 || delivery.provider() != null) {
			return false;
		}
		Duration window = templates.definition(delivery.template()).digest();
		if (window == null || digests.startWindow(delivery.id(), delivery.recipient(), delivery.channel(), window, now)) {
			return false;
		}
		Instant goes = digests.collect(delivery.id(), delivery.recipient(), delivery.channel(), window, now);
		store.heldFor(delivery.id(), "collected into a digest going at " + goes, now);
		return true;
	}

	/**
	 * Sends the digests whose window ended, in the caller's transaction: one notification each,
	 * listing what it held, which is then SUPPRESSED as carried by it. Returns the priorities queued.
	 */
	List<Priority> compose(Instant now) {
		return digests.due(now, 20).stream().map(digest -> compose(digest, now)).filter(p -> p != null).toList();
	}

	private Priority compose(DigestStore.Due digest, Instant now) {
		List<DigestStore.Item> items = digests.items(digest.id());
		if (items.isEmpty()) {
			digests.sent(digest, null, now);
			return null;
		}
		Priority priority = items.stream().allMatch(item -> item.priority() == Priority.MARKETING) ? Priority.MARKETING
				: Priority.TRANSACTIONAL;
		NotificationTemplates.Definition template = templates.definition(TEMPLATE);
		String locale = templates.localeFor(template, recipients.of(digest.recipient()).locale());
		Map<String, Object> data = Map.of("count", items.size(), "items",
				items.stream().map(item -> Map.of("subject", item.subject())).toList());
		NotificationTemplates.Rendered rendered = templates.render(template, template.version(), locale, data);
		UUID notification = store.insert(new NotificationStore.NewNotification(Ids.next(), "digest:" + digest.id(),
				digest.recipient(), TEMPLATE, template.version(), locale, priority, null, JSON.writeValueAsString(data),
				now)).id();
		boolean email = digest.channel() == Channel.EMAIL;
		store.queue(Ids.next(), notification, digest.channel(), priority, rendered.subject(),
				email ? rendered.text() : rendered.shortText(), email ? rendered.html() : null, now,
				"digest of " + items.size(), now);
		for (DigestStore.Item item : items) {
			store.finish(item.deliveryId(), "SUPPRESSED", null, null, "carried by digest notification " + notification, now);
		}
		digests.sent(digest, notification, now);
		return priority;
	}
}
