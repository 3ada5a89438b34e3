package io.orderly.spike.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts one Spring context of the spike against one database. */
final class Contexts {

	private Contexts() {
	}

	static final String MODULITH_AUTOCONFIGURATIONS = String.join(",",
			"org.springframework.modulith.events.config.EventPublicationAutoConfiguration",
			"org.springframework.modulith.events.config.EventExternalizationAutoConfiguration",
			"org.springframework.modulith.events.jdbc.JdbcEventPublicationAutoConfiguration");

	static Map<String, Object> base(String url) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", url);
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.hikari.maximum-pool-size", "40");
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.io.orderly", "INFO");
		return properties;
	}

	static Map<String, Object> modulith(String url) {
		Map<String, Object> properties = base(url);
		properties.put("namastack.outbox.enabled", "false");
		properties.put("spring.modulith.events.jdbc.schema-initialization.enabled", "true");
		return properties;
	}

	static Map<String, Object> namastack(String url) {
		Map<String, Object> properties = base(url);
		properties.put("spring.autoconfigure.exclude", MODULITH_AUTOCONFIGURATIONS);
		properties.put("namastack.outbox.jdbc.schema-initialization.enabled", "true");
		return properties;
	}

	static ConfigurableApplicationContext start(Probe probe, Map<String, Object> properties, Class<?>... sources) {
		return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.initializers(context -> context.getBeanFactory().registerSingleton("probe", probe))
			.properties(properties)
			.run();
	}
}
