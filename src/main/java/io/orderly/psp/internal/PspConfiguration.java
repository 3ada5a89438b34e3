package io.orderly.psp.internal;

import java.time.Clock;

import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

import java.util.Random;
import java.util.random.RandomGenerator;

import io.orderly.platform.web.OpenApiPaths;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.models.GroupedOpenApi;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
@Conditional(PspEnabled.class)
class PspConfiguration {

	@Bean
	PspServer pspServer(PspProperties properties) {
		return new PspServer(properties.port(), properties.address());
	}

	@Bean
	Faults pspFaults(PspProperties properties) {
		RandomGenerator random = properties.randomSeed() == null ? new Random() : new Random(properties.randomSeed());
		return new Faults(properties.faults(), random);
	}

	@Bean
	WebhookSender pspWebhookSender(PspProperties properties, Environment environment, JsonMapper json, Clock clock) {
		return new WebhookSender(properties.webhooks(), environment, json, clock);
	}

	@Bean
	GroupedOpenApi pspOpenApi(@Value("${orderly.psp.base-url}") String baseUrl) {
		return PspOpenApi.group(baseUrl);
	}

	/** The platform's own document leaves the simulator out: it stands for an outside provider. */
	@Bean
	OpenApiCustomizer pspOutOfTheApisDocument() {
		return OpenApiPaths.without("/psp/");
	}

	@Bean
	Delays pspDelays() {
		return new Delays();
	}

	@Bean
	FaultControl pspFaultControl(Faults faults, PspServer server, Delays delays,
			@Value("${orderly.psp.base-url}") String baseUrl) {
		return new FaultControl(faults, server, delays, baseUrl);
	}

	@Bean
	FilterRegistrationBean<PspRouting> pspRouting(PspServer server, @Value("${orderly.psp.base-url}") String baseUrl,
			@Value("${orderly.faults.enabled:false}") boolean faultsEnabled) {
		FilterRegistrationBean<PspRouting> registration = new FilterRegistrationBean<>(
				new PspRouting(server, baseUrl, faultsEnabled));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Bean
	FilterRegistrationBean<PspFaultsFilter> pspFaultsFilter(Faults faults, Delays delays, PspServer server) {
		FilterRegistrationBean<PspFaultsFilter> registration = new FilterRegistrationBean<>(
				new PspFaultsFilter(faults, delays, server));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

	@Bean
	PspMaintenance pspMaintenance(IdempotencyKeys keys) {
		return new PspMaintenance(keys);
	}

	/** Forgets idempotency keys past their time to live. */
	static class PspMaintenance {

		private final IdempotencyKeys keys;

		PspMaintenance(IdempotencyKeys keys) {
			this.keys = keys;
		}

		@Scheduled(fixedDelayString = "${orderly.psp.purge-interval:5m}", initialDelayString = "60s")
		void purgeExpiredKeys() {
			keys.purgeExpired();
		}
	}
}
