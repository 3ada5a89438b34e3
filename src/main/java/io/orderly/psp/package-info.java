/**
 * PSP simulator: a stand-in payment provider over real HTTP, with fault injection.
 * Placeholder documentation; see below.
 */
@org.springframework.modulith.ApplicationModule(displayName = "PSP simulator", allowedDependencies = "platform")
package io.orderly.psp;
