package io.orderly.platform.messaging;

import java.util.LinkedHashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicTest {

	@Test
	void anAnnouncementCarriesTheHeadAndTheTopics() {
		Set<Topic> topics = Set.of(new Topic("orderly.order.OrderPlaced.v1", 17), new Topic("orderly.x.Y.v1", 2147483647));

		String announcement = Topic.announcement(42, topics);

		assertThat(Topic.head(announcement)).isEqualTo(42);
		assertThat(Topic.topics(announcement)).isEqualTo(topics);
	}

	@Test
	void aBatchTooVariedToNameIsAnnouncedAsTheHeadAloneWhichConcernsEveryone() {
		Set<Topic> topics = new LinkedHashSet<>();
		for (int i = 0; i < 1_000; i++) {
			topics.add(new Topic("orderly.order.OrderPlaced.v1", i));
		}

		String announcement = Topic.announcement(7, topics);

		assertThat(announcement).isEqualTo("7");
		assertThat(Topic.head(announcement)).isEqualTo(7);
		assertThat(Topic.topics(announcement)).isNull();
	}

	@Test
	void somethingElseIsNoAnnouncement() {
		assertThat(Topic.head("x;y")).isEqualTo(-1);
		assertThat(Topic.topics("1;type-without-hash")).isNull();
		assertThat(Topic.topics("1;")).isEmpty();
	}
}
