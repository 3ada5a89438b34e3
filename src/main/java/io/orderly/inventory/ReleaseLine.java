package io.orderly.inventory;

import io.orderly.platform.messaging.MessageType;

/**
 * Command: a line was taken out of the order before its parcel left; the order's units of
 * {@code sku} go back (on hand if sold, available if held) and leave its reservation, so a later
 * {@link ReleaseStock} (a cancel) gives back only what is left. Applied once; no reply.
 */
@MessageType("orderly.inventory.ReleaseLine.v1")
public record ReleaseLine(String orderId, String sku) {
}
