package io.orderly.notification.internal;

import java.util.List;

/** The channels served by outside providers (SMS, push), each failing over between two. */
record ProviderSenders(List<ChannelSender> senders) {
}
