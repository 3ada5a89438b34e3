package io.orderly.platform.db;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/** Starts the embedded PostgreSQL as soon as the configuration is known (see META-INF/spring.factories). */
class EarlyEmbeddedPostgres implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Binder binder = Binder.get(event.getEnvironment());
		if (binder.bind("orderly.database.embedded", Boolean.class).orElse(true)) {
			EmbeddedPostgresServers.startInBackground(
					binder.bind("orderly.database.data-directory", java.nio.file.Path.class).orElse(null),
					binder.bind("orderly.database.port", Integer.class).orElse(0),
					binder.bind("orderly.database.server-settings", Bindable.mapOf(String.class, String.class))
						.orElse(java.util.Map.of()));
		}
	}
}
