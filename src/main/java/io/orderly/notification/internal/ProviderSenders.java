package io.orderly.notification.internal;

import java.util.List;

/** The channels served by outside providers (SMS, push, e-mail), each failing over from its first to its second. */
record ProviderSenders(List<ChannelSender> senders) {
}
