package io.orderly.platform.messaging;

import java.util.List;

/** A bean that contributes subscriptions it builds itself (the saga engine's reply subscription). */
@FunctionalInterface
public interface SubscriptionSource {

	List<Subscription> subscriptions();
}
