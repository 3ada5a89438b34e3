package io.orderly.platform.web;

import java.lang.management.ManagementFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Tells a newcomer, once the platform is ready, how long it took and what to try. */
@Component
class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
			return;
		}
		int port = web.getWebServer().getPort();
		String base = "http://localhost:" + port;
		long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
		log.info("""
				Orderly is ready ({} ms after JVM start, {} ms in Spring). Try:
				  API docs      {}/swagger-ui.html   (OpenAPI: {}/v3/api-docs)
				  a token       T=$(bin/token alice)      (accounts: alice bob support operator admin shop)
				  products      curl -H "Authorization: Bearer $T" {}/v1/products
				  place order   curl -X POST {}/v1/orders -H "Authorization: Bearer $T" -H 'Content-Type: application/json' -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \\
				                  -d '{"items":[{"sku":"MUG","quantity":1}],"shippingAddress":{"name":"Ada","line1":"1 Main St","city":"Berlin","postalCode":"10115","country":"DE"},"paymentToken":"tok_ok"}'
				  my orders     curl -H "Authorization: Bearer $T" {}/v1/orders
				  short links   curl -X POST {}/v1/links -H "Authorization: Bearer $T" -H 'Content-Type: application/json' -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d '{"url":"https://example.com"}'
				  health        {}/actuator/health/readiness    metrics (operator) {}/actuator/prometheus
				  dead letters  {}/v1/admin/dead-letters (operator)   sagas {}/v1/admin/sagas?state=NEEDS_ATTENTION""",
				sinceJvmStart, event.getTimeTaken().toMillis(), base, base, base, base, base, base, base, base, base, base);
	}
}
