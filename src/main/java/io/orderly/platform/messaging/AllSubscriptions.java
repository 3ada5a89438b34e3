package io.orderly.platform.messaging;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;

/** The subscriptions of this process: declared as beans, or contributed by a {@link SubscriptionSource}. */
final class AllSubscriptions {

	private final ObjectProvider<Subscription> subscriptions;

	private final ObjectProvider<SubscriptionSource> sources;

	private volatile List<Subscription> all;

	AllSubscriptions(ObjectProvider<Subscription> subscriptions, ObjectProvider<SubscriptionSource> sources) {
		this.subscriptions = subscriptions;
		this.sources = sources;
	}

	List<Subscription> all() {
		if (all == null) {
			List<Subscription> found = new ArrayList<>(subscriptions.orderedStream().toList());
			sources.orderedStream().forEach(source -> found.addAll(source.subscriptions()));
			all = List.copyOf(found);
		}
		return all;
	}
}
