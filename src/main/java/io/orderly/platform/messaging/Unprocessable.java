package io.orderly.platform.messaging;

/**
 * Marks an exception a handler throws for a message that can never be applied as it is (data
 * it must have and does not). The kernel dead-letters such a message at its first failure
 * instead of retrying it; an operator replays it once the cause is fixed (a template added).
 */
public interface Unprocessable {
}
