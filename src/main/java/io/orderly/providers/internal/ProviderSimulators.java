package io.orderly.providers.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.orderly.platform.ConditionalOnModule;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The simulated providers of this process, started and stopped with it. */
@Component
@ConditionalOnModule("providers")
@ConditionalOnBooleanProperty(name = "orderly.providers.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ProviderSimulatorProperties.class)
public class ProviderSimulators implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

	private final Map<String, SimulatedProvider> providers = new LinkedHashMap<>();

	private final ScheduledExecutorService receipts = Executors.newScheduledThreadPool(1,
			Thread.ofPlatform().name("orderly-provider-receipts-", 0).daemon().factory());

	private final ProviderSimulatorProperties properties;

	private volatile String ownReceiptUrl;

	private volatile boolean running;

	ProviderSimulators(ProviderSimulatorProperties properties, Environment environment, Clock clock) {
		this.properties = properties;
		String secret = environment.getRequiredProperty(ProviderPortsEnvironmentPostProcessor.SIGNING_SECRET);
		for (String name : ProviderPortsEnvironmentPostProcessor.NAMES) {
			int port = environment.getRequiredProperty("orderly.providers.ports." + name, Integer.class);
			providers.put(name, new SimulatedProvider(name, properties.host(), port, properties.ratePerSecond(),
					properties.receiptDelay(), this::receiptUrl, secret, clock, receipts));
		}
	}

	private String receiptUrl() {
		return properties.receiptUrl().isBlank() ? ownReceiptUrl : properties.receiptUrl();
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() == null) {
			ownReceiptUrl = "http://127.0.0.1:" + event.getWebServer().getPort() + "/v1/webhooks/notifications";
		}
	}

	Optional<SimulatedProvider> provider(String name) {
		return Optional.ofNullable(providers.get(name));
	}

	List<ProviderRecords> records() {
		return providers.values().stream().map(SimulatedProvider::records).toList();
	}

	/** How many times provider {@code name} was asked for the message with this key (0: never taken). */
	public long askedFor(String name, String key) {
		return providers.get(name).askedFor(key);
	}

	@Override
	public synchronized void start() {
		providers.values().forEach(SimulatedProvider::start);
		running = true;
	}

	@Override
	public synchronized void stop() {
		running = false;
		providers.values().forEach(SimulatedProvider::stop);
		receipts.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return running;
	}
}
