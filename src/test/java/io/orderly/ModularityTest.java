package io.orderly;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/** Fails the build when a module reaches into another module's internals or forms a cycle. */
class ModularityTest {

	@Test
	void modulesOnlyUseEachOthersPublishedApi() {
		ApplicationModules.of(OrderlyApplication.class).verify();
	}
}
