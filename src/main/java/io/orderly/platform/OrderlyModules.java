package io.orderly.platform;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The business modules this process runs: {@code all} (the embedded deployment) or a
 * subset, as in {@code --orderly.modules=order,payment}. The platform kernel always runs.
 *
 * @param modules module names, or {@code all}
 */
@ConfigurationProperties("orderly")
public record OrderlyModules(@DefaultValue("all") Set<String> modules) {

	public OrderlyModules {
		modules = Set.copyOf(modules);
	}

	public boolean enabled(String module) {
		return modules.contains("all") || modules.contains(module);
	}
}
