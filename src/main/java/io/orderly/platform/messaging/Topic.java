package io.orderly.platform.messaging;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a relayed message tells a subscriber that has not read it yet: its type and the hash
 * of its subject that picks the partition ({@code hashtext(subject) & 2147483647}, computed by
 * PostgreSQL, as the consumers' own query does). The relay announces the topics of each batch,
 * so only the consumers that want one of them look at the log.
 */
record Topic(String type, int subjectHash) {

	/** Announcements longer than this are sent as the head alone, which wakes every consumer. */
	static final int MAX_ANNOUNCEMENT = 7_000;

	/** {@code head} and the topics, as the relay's notification carries them: {@code head;type:hash,...}. */
	static String announcement(long head, Set<Topic> topics) {
		StringBuilder text = new StringBuilder(Long.toString(head)).append(';');
		boolean first = true;
		for (Topic topic : topics) {
			if (!first) {
				text.append(',');
			}
			text.append(topic.type()).append(':').append(topic.subjectHash());
			first = false;
			if (text.length() > MAX_ANNOUNCEMENT) {
				return Long.toString(head);
			}
		}
		return text.toString();
	}

	/** The head of an announcement, or -1 if it is not one. */
	static long head(String announcement) {
		int end = announcement.indexOf(';');
		try {
			return Long.parseLong(end < 0 ? announcement : announcement.substring(0, end));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/** The topics of an announcement; null when it names none (every consumer must look). */
	static Set<Topic> topics(String announcement) {
		int start = announcement.indexOf(';');
		if (start < 0) {
			return null;
		}
		Set<Topic> topics = new LinkedHashSet<>();
		List<String> parts = new ArrayList<>(List.of(announcement.substring(start + 1).split(",")));
		for (String part : parts) {
			int colon = part.lastIndexOf(':');
			if (colon <= 0) {
				if (!part.isEmpty()) {
					return null;
				}
				continue;
			}
			try {
				topics.add(new Topic(part.substring(0, colon), Integer.parseInt(part.substring(colon + 1))));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return topics;
	}
}
