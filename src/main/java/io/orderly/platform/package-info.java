/**
 * The platform kernel: ids, time, problem details, idempotency keys, the transactional
 * outbox, its relay, the embedded message transport with inbox, retries and dead letters.
 * Every business module stands on it; it depends on none of them.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.orderly.platform;
