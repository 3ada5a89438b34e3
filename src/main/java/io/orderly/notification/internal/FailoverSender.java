package io.orderly.notification.internal;

import java.util.List;

/**
 * A channel served by a primary and a secondary provider (or a primary alone: an SMTP server
 * without a second one). A message goes to the primary while
 * its breaker lets calls through, to the secondary once it has opened, and to the secondary at
 * once when the primary surely did not take it. A message the primary may have taken (no
 * answer) is pinned to it: asked again of it only, under the same key, so it is delivered once
 * across both. A message no provider could be asked for (every breaker open, or only probes that
 * found the providers still down) waits without spending an attempt, so a long outage loses nothing.
 */
final class FailoverSender implements ChannelSender {

	private static final String CIRCUIT_OPEN = "circuit_open";

	private final Channel channel;

	private final List<ProviderClient> providers;

	FailoverSender(Channel channel, List<ProviderClient> providers) {
		if (providers.isEmpty()) {
			throw new IllegalArgumentException("a channel needs a provider");
		}
		this.channel = channel;
		this.providers = List.copyOf(providers);
	}

	@Override
	public Channel channel() {
		return channel;
	}

	@Override
	public Outcome send(Outgoing message) {
		String key = message.deliveryId().toString();
		if (message.pinnedProvider() != null) {
			ProviderClient pinned = providers.stream()
				.filter(provider -> provider.name().equals(message.pinnedProvider()))
				.findFirst()
				.orElse(null);
			if (pinned == null) {
				return new Failed(message.pinnedProvider(), "pinned to a provider no longer configured", true);
			}
			if (!pinned.available()) {
				return new Deferred(pinned.name(), pinned.name() + " is taken for down (circuit open)", true);
			}
			ProviderClient.Answer answer = pinned.send(key, message);
			if (answer instanceof ProviderClient.NotTaken notTaken && !notTaken.attempted()) {
				return new Deferred(pinned.name(), notTaken.reason(), CIRCUIT_OPEN.equals(notTaken.reason()));
			}
			return outcome(pinned, answer);
		}
		Outcome last = null;
		boolean heldHere = false;
		for (ProviderClient provider : providers) {
			if (!provider.available()) {
				continue;
			}
			boolean probing = provider.probing();
			ProviderClient.Answer answer = provider.send(key, message);
			Outcome outcome = outcome(provider, answer);
			if (!(outcome instanceof Failed failed) || failed.maybeSent()) {
				return outcome;
			}
			// Turned away before the provider (or by its rate limit), or a probe finding it still down:
			// that says something about the provider, not the message, and costs the message no attempt.
			if (!probing && answer instanceof ProviderClient.NotTaken notTaken && notTaken.attempted()) {
				last = outcome;
			}
			if (answer instanceof ProviderClient.NotTaken notTaken && !notTaken.attempted()
					&& !CIRCUIT_OPEN.equals(notTaken.reason())) {
				heldHere = true;
			}
		}
		return last != null ? last : new Deferred(providers.getFirst().name(), "no " + channel.wire()
				+ " provider can take it now (circuit open, probing, or at its rate limit)", !heldHere);
	}

	private static Outcome outcome(ProviderClient provider, ProviderClient.Answer answer) {
		return switch (answer) {
			case ProviderClient.Taken taken -> new Sent(provider.name(), taken.messageId());
			case ProviderClient.Refused refused -> new Rejected(provider.name(), refused.reason());
			case ProviderClient.NotTaken notTaken -> new Failed(provider.name(), notTaken.reason(), false);
			case ProviderClient.Unknown unknown -> new Failed(provider.name(), unknown.reason(), true);
		};
	}
}
